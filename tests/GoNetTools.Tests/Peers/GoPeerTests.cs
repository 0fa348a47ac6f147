using System;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.Peers;

/// <summary>
/// Go 1.19's own net/http server as a GOPROXY: a valid one for the real `go` client (counted in its request log),
/// and what its srv.Shutdown() really sends, decoded by tshark with the server's TLS key log.
/// </summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Go)]
[Trait("Category", Category.Tshark)]
public sealed class GoPeerTests
{
    private static ModuleTree Tree => ModuleTree.Shared();

    [SkippableFact]
    public void Go_mod_download_of_N_versions_sends_3N_requests_on_one_h2_connection()
    {
        using var server = GoPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        var (code, stdout, stderr) = go.Run("mod download " + string.Join(' ', Tree.Modules), server.GoEnvironment);
        Assert.True(code == 0, $"go mod download failed ({code}): {stderr}\n{stdout}");

        var n = Tree.Modules.Count;
        var log = server.Log(requests: 3 * n);
        Assert.Equal(3 * n, log.Requests.Count);
        Assert.Equal((n, n, n, 0), (log.Count("info"), log.Count("mod"), log.Count("zip"), log.Count("list")));
        Assert.All(log.Requests, r => Assert.Equal((200, "HTTP/2.0"), (r.Status, r.Protocol)));
        var (connection, requests) = Assert.Single(log.RequestsPerConnection);
        Assert.Equal(3 * n, requests);
        Assert.Equal(3 * n, log.Requests.Where(r => r.Connection == connection).Max(r => r.ConnectionRequest));
    }

    [SkippableFact]
    public void A_missing_version_costs_one_404_on_the_Go_server_too()
    {
        using var server = GoPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        var (code, _, stderr) = go.Run("mod download " + Tree.AbsentVersion("lab.gonettools.test/mod001"), server.GoEnvironment);
        Assert.NotEqual(0, code);
        Assert.Contains("404 Not Found", stderr, StringComparison.Ordinal);
        var only = Assert.Single(server.Log(requests: 1).Requests);
        Assert.Equal((404, "info"), (only.Status, only.Kind));
    }

    [SkippableFact]
    public void Shutdown_sends_one_GOAWAY_with_the_real_last_stream_then_closes_a_second_later()
    {
        using var server = GoPeer.Start(Tree.DownloadDir);
        using var capture = new LoopbackCapture($"tcp port {server.Port}");
        using var client = new RawHttp2Client(server.Url, server.Certificates.CaPath);
        Assert.Equal("h2", client.NegotiatedProtocol);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RawHttp2Frame.Data, client.ReadUntilStreamEnds(client.Get(ModuleTree.UrlPath(Tree.Modules[i], "info")))?.Type);
        }
        var seen = client.Received.Count;
        server.Shutdown();
        Assert.True(client.ReadUntilClosed(), "the Go server kept the connection open after Shutdown()");
        var goAway = Assert.Single(client.Received.Skip(seen));
        Assert.Equal((RawHttp2Frame.GoAway, 5, 0u), (goAway.Type, goAway.LastStreamId, goAway.ErrorCode));
        Assert.True(server.WaitShutdownEnd(TimeSpan.FromSeconds(10)), "Shutdown() did not return");

        // tshark, decrypting with the server's key log: one GOAWAY, not a 2^31-1 "drain" GOAWAY before the real one.
        var pcap = capture.Stop();
        var wire = Assert.Single(Http2Wire.GoAways(pcap, server.Port, server.KeyLogPath));
        Assert.Equal((server.Port, 5, 0u), (wire.SourcePort, wire.StreamId, wire.ErrorCode));
        Assert.True(Http2Wire.DecodedFrames(pcap, server.Port, server.KeyLogPath) > 10, "tshark decoded no HTTP/2 from the capture: the key log did not apply");
        // The server closes the idle connection after its 1 s goAwayTimeout, not at once.
        var close = Http2Wire.FirstClose(pcap, server.Port);
        Assert.NotNull(close);
        Assert.InRange(close!.Value - wire.Time, 0.8, 5.0);
        Assert.Equal(3, server.Log().RequestsPerConnection.Values.Single());
    }

    [SkippableFact]
    public void Shutdown_with_a_response_in_flight_sends_GOAWAY_first_and_finishes_the_stream()
    {
        using var scenario = new InFlightResponse();
        using var server = GoPeer.Start(scenario.Docroot);
        var outcome = InFlightResponse.Run(server.Url, server.Certificates.CaPath, server.Shutdown);
        Assert.Equal((outcome.Stream, 0u), (outcome.GoAway?.LastStreamId, outcome.GoAway?.ErrorCode));
        Assert.Equal((1, InFlightResponse.BigSize, true, true), (outcome.GoAwayCount, outcome.BodyBytes, outcome.Completed, outcome.Closed));
        Assert.True(server.WaitShutdownEnd(TimeSpan.FromSeconds(10)));
    }
}
