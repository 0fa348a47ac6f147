using System;
using System.IO;
using System.Linq;
using System.Net;
using GoNetTools.Analysis;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Analysis;

/// <summary>Hand-built captures for the cases live loopback traffic rarely shows; tshark checks the file where it can.</summary>
[Trait("Category", Category.Tshark)]
public sealed class SyntheticCaptureTests
{
    private static readonly IPAddress Client4 = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress Server4 = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Client6 = IPAddress.Parse("fd00::2");
    private static readonly IPAddress Server6 = IPAddress.Parse("fd00::1");

    private static SyntheticFlow TlsFlow(IPAddress client, IPAddress server, string sni, bool tls13 = true, int clientPort = 40000, int segment = 1400)
    {
        var flow = new SyntheticFlow(client, clientPort, server, 443, T0);
        return flow.Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord(sni, new[] { "h2", "http/1.1" }), segment)
            .ServerSends(SyntheticPackets.ServerHelloRecord(tls13, tls13 ? null : "h2"))
            .ClientSends(SyntheticPackets.Record(20, new byte[] { 1 }))
            .ClientFin().ServerFin().ClientAck();
    }

    [SkippableTheory]
    [InlineData(1, false, false, false)]  // Ethernet, little-endian, µs
    [InlineData(1, true, true, false)]    // Ethernet, big-endian, ns
    [InlineData(1, false, false, true)]   // Ethernet with 802.1Q and 802.1ad tags
    [InlineData(113, false, true, false)] // Linux cooked v1
    [InlineData(276, true, false, false)] // Linux cooked v2
    [InlineData(101, false, false, false)] // raw IP
    [InlineData(0, false, false, false)]   // BSD loopback
    public void Link_types_byte_orders_and_vlan_tags_decode_like_tshark(int linkType, bool bigEndian, bool nanos, bool vlan)
    {
        var v4 = TlsFlow(Client4, Server4, "proxy.golang.org");
        var v6 = TlsFlow(Client6, Server6, "sum.golang.org", clientPort: 40001);
        Func<byte[], byte[]>? wrap = vlan ? ip => SyntheticPackets.Ethernet(ip, 100, 200) : null;
        var file = Pcap(v4.Packets.Concat(v6.Packets), linkType, wrap, bigEndian, nanos);
        var (results, analyzer) = Run(file);
        Assert.Null(analyzer.Warning);
        var flows = results.OfType<TcpFlow>().ToList();
        Assert.Equal(2, flows.Count);
        Assert.Equal(new[] { "proxy.golang.org", "sum.golang.org" }, flows.OrderBy(f => f.Sni).Select(f => f.Sni));
        Assert.All(flows, f => Assert.Equal("TLS 1.3", f.TlsVersion));
        Assert.All(flows, f => Assert.Equal(FlowSide.Client, f.TimeWaitHolder));
        Assert.All(flows, f => Assert.Equal(T0, f.Start));
        Assert.Contains(flows, f => f.ClientAddress == "fd00::2" && f.Server == "[fd00::1]:443");
        Assert.Equal(2, results.OfType<TlsHandshake>().Count());

        var path = Save(file);
        try
        {
            Assert.Equal(2, Tshark.TcpConversations(path));
            var sni = Tshark.Fields(path, "tls.handshake.type==1", "", "tls.handshake.extensions_server_name").Select(r => r[0]).OrderBy(s => s);
            Assert.Equal(flows.Select(f => f.Sni).OrderBy(s => s), sni);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void ClientHello_split_over_segments_and_out_of_order_is_reassembled()
    {
        var flow = new SyntheticFlow(Client4, 40000, Server4, 443, T0).Handshake();
        var hello = SyntheticPackets.ClientHelloRecord("split.golang.org", new[] { "h2" }, padding: 900);
        var isn = flow.ClientSeq;
        var parts = new[] { hello[..300], hello[300..700], hello[700..] };
        // Sent in the order 3, 1, 2; a retransmission of part 1 follows.
        flow.ClientSegmentAt(isn + 700, parts[2]).ClientSegmentAt(isn, parts[0]).ClientSegmentAt(isn + 300, parts[1]).ClientSegmentAt(isn, parts[0]);
        flow.AdvanceClient(hello.Length).ClientFin().ServerFin().ClientAck();
        var (results, _) = Run(Pcap(flow.Packets));
        var handshake = Assert.Single(results.OfType<TlsHandshake>());
        Assert.Equal("split.golang.org", handshake.Sni);
        Assert.False(handshake.Incomplete);
        Assert.Equal(new[] { "TLS 1.3", "TLS 1.2" }, handshake.OfferedVersions);
        Assert.Equal(3, handshake.CipherSuiteCount); // the GREASE suite is not counted
        var tcp = Assert.Single(results.OfType<TcpFlow>());
        Assert.True(tcp.Retransmissions >= 1);
        Assert.Equal("no ServerHello captured", tcp.AlpnNote);
    }

    [SkippableFact]
    public void Snap_length_cut_hello_is_reported_incomplete_with_what_was_captured()
    {
        var flow = TlsFlow(Client4, Server4, "cut.golang.org");
        // Packet 3 (0-based) is the ClientHello: keep Ethernet+IP+TCP and 100 bytes of TLS.
        var file = Pcap(flow.Packets, capturedLength: i => i == 3 ? 54 + 100 : null);
        var (results, _) = Run(file);
        var handshake = Assert.Single(results.OfType<TlsHandshake>());
        Assert.True(handshake.Incomplete);
        Assert.Equal("cut.golang.org", handshake.Sni);
        var tcp = Assert.Single(results.OfType<TcpFlow>());
        Assert.Equal(flow.Packets.Count, tcp.PacketsToClient + tcp.PacketsToServer);
    }

    [SkippableFact]
    public void Tls12_server_hello_shows_the_alpn_choice_and_tls13_hides_it()
    {
        var (r12, _) = Run(Pcap(TlsFlow(Client4, Server4, "old.golang.org", tls13: false).Packets));
        var old = Assert.Single(r12.OfType<TlsHandshake>());
        Assert.Equal("TLS 1.2", old.ServerVersion);
        Assert.Equal("h2", old.AlpnSelected);
        Assert.Null(old.AlpnNote);
        var (r13, _) = Run(Pcap(TlsFlow(Client4, Server4, "new.golang.org").Packets));
        var modern = Assert.Single(r13.OfType<TcpFlow>());
        Assert.Null(modern.AlpnSelected);
        Assert.Equal(FlowModels.AlpnHiddenNote, modern.AlpnNote);
    }

    [SkippableFact]
    public void Retransmissions_count_but_zero_window_probes_and_keepalives_do_not()
    {
        var flow = new SyntheticFlow(Client4, 40000, Server4, 8080, T0).Handshake();
        var data = new byte[1000];
        var seq = flow.ClientSeq;
        flow.ClientSends(data);
        flow.ClientSegmentAt(seq, data);                  // retransmission
        var edge = flow.ClientSeq;
        flow.ClientSegmentAt(edge, new byte[] { 1 });     // zero-window probe: one new byte
        flow.ClientSegmentAt(edge, new byte[] { 1 });     // repeated probe
        flow.ClientSegmentAt(edge, new byte[] { 1 });     // keep-alive style, one below the edge
        flow.AdvanceClient(1).ClientFin().ServerFin().ClientAck();
        var file = Pcap(flow.Packets);
        var tcp = Assert.Single(Run(file).Results.OfType<TcpFlow>());
        Assert.Equal(1, tcp.Retransmissions);
        var path = Save(file);
        try
        {
            Assert.Equal(1, Tshark.Count(path, "tcp.analysis.retransmission && !tcp.analysis.zero_window_probe && !tcp.analysis.keep_alive"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Rst_mid_handshake_and_refused_connections_leave_no_time_wait()
    {
        var aborted = new SyntheticFlow(Client4, 40000, Server4, 443, T0);
        aborted.Handshake().ClientRst();
        var refused = new SyntheticFlow(Client4, 40001, Server4, 444, T0.AddSeconds(1));
        refused.Packets.Add((refused.Time, SyntheticPackets.Ip(Client4, 40001, Server4, 444, 1, 0, SyntheticPackets.Syn, default)));
        refused.Packets.Add((refused.Time.AddMilliseconds(1), SyntheticPackets.Ip(Server4, 444, Client4, 40001, 0, 2, SyntheticPackets.Rst | SyntheticPackets.Ack, default)));
        var flows = Run(Pcap(aborted.Packets.Concat(refused.Packets))).Results.OfType<TcpFlow>().ToList();
        Assert.Equal(2, flows.Count);
        Assert.Equal(FlowSide.Client, flows.Single(f => f.ServerPort == 443).ResetBy);
        var no = flows.Single(f => f.ServerPort == 444);
        Assert.Equal(FlowSide.Server, no.ResetBy);
        Assert.Null(no.HandshakeRtt);
        Assert.All(flows, f => Assert.Equal(FlowSide.None, f.TimeWaitHolder));
    }

    [SkippableFact]
    public void Flow_without_its_syn_is_marked_mid_stream_with_the_ephemeral_port_as_client()
    {
        var flow = new SyntheticFlow(Client4, 51000, Server4, 443, T0).Handshake();
        flow.Packets.Clear(); // the capture started after the handshake
        flow.ServerSends(new byte[10]).ClientSends(new byte[20]).ServerFin().ClientFin();
        var tcp = Assert.Single(Run(Pcap(flow.Packets)).Results.OfType<TcpFlow>());
        Assert.True(tcp.MidStream);
        Assert.Equal(51000, tcp.ClientPort);
        Assert.Equal(FlowSide.Server, tcp.TimeWaitHolder);
    }

    [SkippableFact]
    public void Reused_four_tuple_after_close_is_a_new_connection_like_tshark()
    {
        var first = new SyntheticFlow(Client4, 40000, Server4, 443, T0).Handshake().ClientSends(new byte[5]).ClientFin().ServerFin().ClientAck();
        var second = new SyntheticFlow(Client4, 40000, Server4, 443, T0.AddSeconds(1), clientIsn: 90000).Handshake().ClientSends(new byte[7]).ServerFin().ClientFin();
        var file = Pcap(first.Packets.Concat(second.Packets));
        var flows = Run(file).Results.OfType<TcpFlow>().ToList();
        Assert.Equal(new[] { 5L, 7L }, flows.Select(f => f.BytesToServer));
        var path = Save(file);
        try
        {
            Assert.Equal(flows.Count, Tshark.TcpConversations(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Truncated_file_yields_the_flows_read_so_far_and_a_warning()
    {
        var one = TlsFlow(Client4, Server4, "a.golang.org");
        var two = new SyntheticFlow(Client4, 40002, Server4, 443, T0.AddSeconds(10)).Handshake().ClientSends(new byte[500]);
        var file = Pcap(one.Packets.Concat(two.Packets));
        var cut = file[..(file.Length - 200)];
        var (results, analyzer) = Run(cut);
        Assert.NotNull(analyzer.Warning);
        Assert.Contains("truncated", analyzer.Warning);
        Assert.Equal(2, results.OfType<TcpFlow>().Count());
        Assert.Equal("a.golang.org", results.OfType<TcpFlow>().First().Sni);
    }
}
