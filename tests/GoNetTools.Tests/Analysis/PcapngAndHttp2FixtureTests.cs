using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Analysis;

/// <summary>pcapng structure (byte orders, interfaces, tsresol, SPB, unknown blocks) and h2c upgrades, built by hand.</summary>
[Trait("Category", Category.Tshark)]
public sealed class PcapngAndHttp2FixtureTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Server = IPAddress.Parse("192.0.2.1");

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_interfaces_resolutions_and_unknown_blocks(bool bigEndian)
    {
        var a = new SyntheticFlow(Client, 40000, Server, 443, T0).Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord("ng.golang.org", new[] { "h2" })).ClientFin().ServerFin().ClientAck();
        var b = new SyntheticFlow(Client, 40001, Server, 443, T0.AddSeconds(2)).Handshake().ClientRst();
        var ng = new PcapngBuilder(bigEndian);
        ng.Section();
        ng.Block(0x0BAD, new byte[12]);                 // unknown block: skipped
        ng.Interface(1, tsresol: 9);                    // Ethernet, nanoseconds
        ng.Interface(113, tsresol: null);               // Linux cooked, default microseconds
        foreach (var (time, ip) in a.Packets)
        {
            ng.Enhanced(0, time, SyntheticPackets.Ethernet(ip), nanos: true);
        }
        foreach (var (time, ip) in b.Packets)
        {
            ng.Enhanced(1, time, SyntheticPackets.Sll(ip), nanos: false);
        }
        ng.Simple(SyntheticPackets.Ethernet(SyntheticPackets.Ip(Client, 40009, Server, 80, 1, 0, SyntheticPackets.Syn, default)));
        var (results, analyzer) = Run(ng.ToArray());
        Assert.Null(analyzer.Warning);
        Assert.Equal(a.Packets.Count + b.Packets.Count + 1, analyzer.Packets);
        var flows = results.OfType<TcpFlow>().ToList();
        Assert.Equal(3, flows.Count);
        var tls = flows.Single(f => f.ClientPort == 40000);
        Assert.Equal("ng.golang.org", tls.Sni);
        Assert.Equal(T0, tls.Start);
        Assert.Equal(T0.AddSeconds(2), flows.Single(f => f.ClientPort == 40001).Start);
        Assert.Equal(FlowSide.Client, flows.Single(f => f.ClientPort == 40001).ResetBy);

        var path = Save(ng.ToArray(), "pcapng");
        try
        {
            Assert.Equal(3, Tshark.TcpConversations(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void H2c_upgrade_frames_goaway_and_rst_stream_match_tshark()
    {
        var flow = new SyntheticFlow(Client, 40000, Server, 80, T0).Handshake();
        flow.ClientSends(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: proxy\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n"));
        flow.ServerSends(SyntheticPackets.Concat(
            Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"),
            SyntheticPackets.Http2Frame(4, 0, 0, new byte[] { 0, 3, 0, 0, 0, 100 })));
        flow.ClientSends(SyntheticPackets.Concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), SyntheticPackets.Http2Frame(4, 0, 0, default), SyntheticPackets.Http2Frame(4, 1, 0, default)));
        flow.ClientSends(SyntheticPackets.Http2Frame(1, 5, 3, new byte[] { 0x82, 0x86, 0x84 }));
        flow.ServerSends(SyntheticPackets.Concat(SyntheticPackets.RstStream(3, 7), SyntheticPackets.GoAway(1, 0, "budget")));
        flow.ServerFin().ClientFin().ClientAck();
        var file = Pcap(flow.Packets);
        var (results, _) = Run(file);
        var frames = results.OfType<Http2Frame>().ToList();
        var tcp = Assert.Single(results.OfType<TcpFlow>());
        Assert.Equal(FlowProtocol.Http2Upgrade, tcp.Protocol);
        Assert.Equal(2, tcp.Http2Streams); // the upgraded request (stream 1) and stream 3
        Assert.Equal(1, tcp.GoAway!.LastStreamId);
        Assert.Equal("budget", tcp.GoAway.DebugData);
        Assert.Equal(Http2ErrorCode.RefusedStream, Assert.Single(tcp.RstStreams!).ErrorCode);
        var settings = frames.First(f => f.Type == Http2FrameType.Settings);
        Assert.Equal("MAX_CONCURRENT_STREAMS", Assert.Single(settings.Settings!).Name);
        Assert.Equal(100, settings.Settings![0].Value);
        Assert.Equal(FlowDirection.ServerToClient, settings.Direction);

        var path = Save(file);
        try
        {
            var types = Tshark.Fields(path, "http2", "", "http2.type").SelectMany(r => r[0].Split(',')).Select(int.Parse).ToList();
            Assert.Equal(types, frames.Select(f => (int)f.Type).ToList());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Prior_knowledge_preface_mismatch_reads_no_frames()
    {
        var flow = new SyntheticFlow(Client, 40000, Server, 8080, T0).Handshake();
        flow.ClientSends("PRI * HTTP/9.9\r\n\r\nXX\r\n\r\n"u8.ToArray()).ServerSends(SyntheticPackets.GoAway(0, 1, "")).ClientFin().ServerFin();
        var (results, _) = Run(Pcap(flow.Packets));
        Assert.Empty(results.OfType<Http2Frame>());
        Assert.Single(results.OfType<TcpFlow>());
    }
}

/// <summary>Writes pcapng blocks in either byte order.</summary>
internal sealed class PcapngBuilder
{
    private readonly bool _big;
    private readonly MemoryStream _out = new();
    private readonly List<int> _resolutions = new();

    public PcapngBuilder(bool bigEndian) => _big = bigEndian;

    public void Section()
    {
        var body = new byte[16];
        U32(body, 0, 0x1A2B3C4D);
        U16(body, 4, 1);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1);
        Block(0x0A0D0D0A, body);
    }

    public void Interface(int linkType, int? tsresol)
    {
        var body = new List<byte>();
        var head = new byte[8];
        U16(head, 0, (ushort)linkType);
        U32(head, 4, 262144);
        body.AddRange(head);
        if (tsresol is { } r)
        {
            var opt = new byte[8];
            U16(opt, 0, 9);
            U16(opt, 2, 1);
            opt[4] = (byte)r;
            body.AddRange(opt);
            body.AddRange(new byte[4]); // opt_endofopt
        }
        _resolutions.Add(tsresol ?? 6);
        Block(1, body.ToArray());
    }

    public void Enhanced(int itf, DateTime time, byte[] data, bool nanos)
    {
        var ticks = (ulong)(time.Ticks - DateTime.UnixEpoch.Ticks);
        var units = nanos ? ticks * 100 : ticks / 10;
        var body = new byte[20 + Pad(data.Length)];
        U32(body, 0, (uint)itf);
        U32(body, 4, (uint)(units >> 32));
        U32(body, 8, (uint)units);
        U32(body, 12, (uint)data.Length);
        U32(body, 16, (uint)data.Length);
        data.CopyTo(body, 20);
        Block(6, body);
    }

    public void Simple(byte[] data)
    {
        var body = new byte[4 + Pad(data.Length)];
        U32(body, 0, (uint)data.Length);
        data.CopyTo(body, 4);
        Block(3, body);
    }

    public void Block(uint type, byte[] body)
    {
        var head = new byte[8];
        U32(head, 0, type);
        U32(head, 4, (uint)(12 + body.Length));
        _out.Write(head);
        _out.Write(body);
        _out.Write(head.AsSpan(4, 4));
    }

    public byte[] ToArray() => _out.ToArray();

    private static int Pad(int n) => (n + 3) & ~3;

    private void U32(byte[] b, int at, uint v)
    {
        if (_big)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }

    private void U16(byte[] b, int at, ushort v)
    {
        if (_big)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        }
    }
}
