using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using GoNetTools.Tests.Analysis;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Hostile;

/// <summary>
/// A pcapng file whose eighth block lies about its size: what was read before it is kept, a warning says where the
/// file went bad, and the file ends there (as a truncated pcap does). tshark reads the same seven packets.
/// </summary>
[Trait("Category", Category.Tshark)]
public sealed class CorruptPcapngTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-corrupt-").FullName;

    public void Dispose()
    {
        _ps.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>Seven good packets of one connection, then a Simple Packet Block claiming 0xFFFFFFFF bytes.</summary>
    private static byte[] SevenPacketsThenALyingBlock(bool corrupt)
    {
        var flow = new SyntheticFlow(IPAddress.Parse("192.0.2.10"), 40000, IPAddress.Parse("192.0.2.1"), 443, T0).Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord("seven.golang.org", new[] { "h2" })).ClientFin().ServerFin().ClientAck();
        var packets = flow.Packets.Take(7).ToList();
        Assert.Equal(7, packets.Count);
        var ng = new PcapngBuilder(bigEndian: false);
        ng.Section();
        ng.Interface(1, tsresol: 6);
        foreach (var (time, ip) in packets)
        {
            ng.Enhanced(0, time, SyntheticPackets.Ethernet(ip), nanos: false);
        }
        var body = new byte[4 + 60];
        BitConverter.TryWriteBytes(body.AsSpan(0, 4), corrupt ? 0xFFFFFFFFu : 60u);
        ng.Block(3, body);
        return ng.ToArray();
    }

    [SkippableFact]
    public void Seven_packets_then_a_block_claiming_0xFFFFFFFF_bytes_keep_the_seven_and_warn()
    {
        var (results, analyzer) = Run(SevenPacketsThenALyingBlock(corrupt: true));
        Assert.Equal(7, analyzer.Packets);
        Assert.Contains("corrupt after packet 7", analyzer.Warning);
        var flow = Assert.Single(results.OfType<TcpFlow>());
        Assert.Equal("seven.golang.org", flow.Sni);
        Assert.Single(results.OfType<TlsHandshake>());

        // Positive control: the same file with an honest length reads all eight packets and warns about nothing.
        var (_, honest) = Run(SevenPacketsThenALyingBlock(corrupt: false));
        Assert.Equal(8, honest.Packets);
        Assert.Null(honest.Warning);
    }

    [SkippableFact]
    public void The_cmdlets_report_the_seven_packets_with_a_warning_and_no_error()
    {
        var path = Path.Combine(_dir, "seven.pcapng");
        File.WriteAllBytes(path, SevenPacketsThenALyingBlock(corrupt: true));
        var summary = _ps.Invoke("Measure-PacketCapture -LiteralPath $p", new Dictionary<string, object?> { ["p"] = path });
        Assert.Empty(summary.AllErrors);
        var s = Assert.Single(summary.Objects<CaptureSummary>());
        Assert.Equal(7, s.Packets);
        Assert.Equal(1, s.Connections);
        Assert.Contains(summary.Warnings, w => w.Contains("corrupt after packet 7", StringComparison.Ordinal));

        var flows = _ps.Invoke("Get-TcpFlow -LiteralPath $p", new Dictionary<string, object?> { ["p"] = path });
        Assert.Empty(flows.AllErrors);
        Assert.Single(flows.Objects<TcpFlow>());

        // tshark, the witness, also reads exactly seven packets before it calls the file damaged.
        var (_, frames, complaint) = Shell.TryRun(Requires.TsharkPath, $"-n -r {path} -T fields -e frame.number");
        Assert.Equal(7, frames.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("damaged or corrupt", complaint, StringComparison.OrdinalIgnoreCase);
    }
}
