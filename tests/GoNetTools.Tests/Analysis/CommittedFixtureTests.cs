using System.Collections.Generic;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// tests/fixtures/pcap/goproxy-tls-h2c.pcap (three TLS 1.3 connections, one cleartext HTTP/2 connection with a
/// RST_STREAM and a GOAWAY) is what the Pester spec reads; here tshark vouches for it and for our reading of it.
/// </summary>
[Trait("Category", Category.Tshark)]
public sealed class CommittedFixtureTests
{
    private static readonly string Fixture = Repo.Fixture("pcap", "goproxy-tls-h2c.pcap");

    [SkippableFact]
    public void Fixture_reads_as_tshark_reads_it()
    {
        using var ps = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["f"] = Fixture };
        var summary = Assert.Single(ps.Invoke("Measure-PacketCapture -LiteralPath $f", vars).Objects<CaptureSummary>());
        Assert.Equal(Tshark.TcpConversations(Fixture), summary.Connections);
        Assert.Equal(Tshark.Count(Fixture, "tls.handshake.type==1"), summary.TlsHandshakes);
        Assert.Equal(Tshark.Count(Fixture, "http2.type==7", "-d tcp.port==8080,http2"), summary.GoAways.Sum(g => g.Count));
        Assert.Equal(Tshark.Count(Fixture, "http2.type==3", "-d tcp.port==8080,http2"), summary.RstStreams.Sum(g => g.Count));
        Assert.Equal(3, summary.TimeWaitOnClient);
        Assert.Equal(1, summary.TimeWaitOnServer);
        Assert.Equal(3.0, summary.ConnectionReuse);
        var goAway = Assert.Single(ps.Invoke("Get-Http2Frame -LiteralPath $f -Type GoAway", vars).Objects<Http2Frame>());
        var oracle = Tshark.Fields(Fixture, "http2.type==7", "-d tcp.port==8080,http2", "http2.goaway.last_stream_id", "http2.goaway.error").Single();
        Assert.Equal(int.Parse(oracle[0]), goAway.LastStreamId);
        Assert.Equal(System.Convert.ToUInt32(oracle[1], 16), (uint)goAway.ErrorCode!.Value);
        Assert.Equal("max streams", goAway.DebugData);
    }
}
