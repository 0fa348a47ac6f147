using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Peers;

/// <summary>
/// What nginx 1.22 really sends on the wire, with tshark as the witness (cleartext h2c so the capture decodes)
/// beside nginx's own debug log and a raw HTTP/2 client that keeps every frame: reload, connection budget,
/// limit_req. And what the real `go` client meets when nginx is frozen or dead.
/// </summary>
[Trait("Category", Category.Go)]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Tshark)]
public sealed class NginxWireTests(ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    private static string InfoPath(int i) => ModuleTree.UrlPath(Tree.Modules[i], "info");

    [SkippableFact]
    public void Reload_sends_one_GOAWAY_with_the_real_last_stream_and_closes_an_idle_connection()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Tls = false, DebugLog = true });
        using var capture = new LoopbackCapture($"tcp port {nginx.Port}");
        using var client = new RawHttp2Client(nginx.Url, null);
        for (var i = 0; i < 3; i++)
        {
            var end = client.ReadUntilStreamEnds(client.Get(InfoPath(i)));
            Assert.Equal(RawHttp2Frame.Data, end?.Type);
        }
        var seen = client.Received.Count;
        nginx.Reload();
        Assert.True(client.ReadUntilClosed(), "nginx kept the old connection open after the reload");
        var afterReload = client.Received.Skip(seen).ToList();
        var goAway = Assert.Single(afterReload);
        Assert.Equal((RawHttp2Frame.GoAway, 5, 0u), (goAway.Type, goAway.LastStreamId, goAway.ErrorCode));
        Assert.Equal(8, goAway.Payload.Length); // no debug data

        var wire = Http2Wire.GoAways(capture.Stop(), nginx.Port);
        var frame = Assert.Single(wire);
        Assert.Equal((nginx.Port, 5, 0u), (frame.SourcePort, frame.StreamId, frame.ErrorCode));
        Assert.Empty(Http2Wire.RstStreams(capture.FilePath, nginx.Port));
        var logged = Assert.Single(nginx.DebugLog().GoAways);
        Assert.Equal((5, 0u), (logged.StreamId, logged.ErrorCode));
        Assert.Equal(3, nginx.AccessLog(atLeast: 3).Connections.Single(c => c.Id == logged.Connection).MaxConnectionRequests);
    }

    [SkippableFact]
    public void Reload_with_a_response_in_flight_sends_GOAWAY_first_and_finishes_the_stream()
    {
        using var scenario = new InFlightResponse();
        using var nginx = NginxPeer.Start(scenario.Docroot, new NginxOptions { Tls = false, DebugLog = true });
        using var capture = new LoopbackCapture($"tcp port {nginx.Port}");
        var outcome = InFlightResponse.Run(nginx.Url, null, nginx.Reload);
        // GOAWAY names the open stream, NO_ERROR; the whole response follows (END_STREAM on DATA, no reset), then close.
        Assert.Equal((outcome.Stream, 0u), (outcome.GoAway?.LastStreamId, outcome.GoAway?.ErrorCode));
        Assert.Equal((1, InFlightResponse.BigSize, true, true), (outcome.GoAwayCount, outcome.BodyBytes, outcome.Completed, outcome.Closed));

        var wire = Http2Wire.GoAways(capture.Stop(), nginx.Port);
        Assert.Equal(new[] { (outcome.Stream, 0u) }, wire.Select(w => (w.StreamId, w.ErrorCode)));
        Assert.Empty(Http2Wire.RstStreams(capture.FilePath, nginx.Port));
    }

    [SkippableFact]
    public void A_keepalive_budget_GOAWAY_on_the_wire_names_the_last_request_and_NO_ERROR()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Tls = false, KeepaliveRequests = 5, DebugLog = true });
        using var capture = new LoopbackCapture($"tcp port {nginx.Port}");
        using var client = new RawHttp2Client(nginx.Url, null);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(RawHttp2Frame.Data, client.ReadUntilStreamEnds(client.Get(InfoPath(i)))?.Type);
        }
        Assert.True(client.ReadUntilClosed());
        var goAway = Assert.Single(client.Received, f => f.Type == RawHttp2Frame.GoAway);
        Assert.Equal((9, 0u), (goAway.LastStreamId, goAway.ErrorCode)); // the 5th request is stream 9

        var wire = Assert.Single(Http2Wire.GoAways(capture.Stop(), nginx.Port));
        Assert.Equal((9, 0u), (wire.StreamId, wire.ErrorCode));
        var logged = Assert.Single(nginx.DebugLog().GoAways);
        Assert.Equal((9, 0u), (logged.StreamId, logged.ErrorCode));
    }

    [SkippableFact]
    public void A_stream_over_the_concurrency_limit_gets_RST_STREAM_REFUSED_STREAM_on_the_wire_and_in_the_debug_log()
    {
        using var scenario = new InFlightResponse();
        using var nginx = NginxPeer.Start(scenario.Docroot, new NginxOptions { Tls = false, MaxConcurrentStreams = 1, DebugLog = true });
        using var capture = new LoopbackCapture($"tcp port {nginx.Port}");
        using var client = new RawHttp2Client(nginx.Url, null);
        var first = client.Get(InFlightResponse.Big); // stays open: the window stops it at 65,535 bytes
        var second = client.Get(InFlightResponse.Big);
        var end = client.ReadUntilStreamEnds(second);
        Assert.Equal((RawHttp2Frame.RstStream, 7u), (end?.Type, end?.ErrorCode)); // REFUSED_STREAM
        Assert.Equal(1, first);

        var wire = Assert.Single(Http2Wire.RstStreams(capture.Stop(), nginx.Port));
        Assert.Equal((nginx.Port, second, 7u), (wire.SourcePort, wire.StreamId, wire.ErrorCode));
        var logged = Assert.Single(nginx.DebugLog().RstStreams);
        Assert.Equal((second, 7u), (logged.StreamId, logged.ErrorCode));
        Assert.Empty(nginx.DebugLog().GoAways);
    }

    [SkippableFact]
    public void Limit_req_503s_seen_by_the_client_are_the_access_logs_503s()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { LimitRequestsPerSecond = 1, LimitBurst = 4 });
        using var http = Http(nginx);
        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            using var response = http.GetAsync(InfoPath(i % Tree.Modules.Count)).GetAwaiter().GetResult();
            statuses.Add((int)response.StatusCode);
        }
        var log = nginx.AccessLog(atLeast: 30);
        Assert.Equal(30, log.Requests.Count);
        Assert.Equal(statuses.Count(s => s == 503), log.CountStatus(503));
        Assert.Equal(statuses.Count(s => s == 200), log.CountStatus(200));
        Assert.InRange(log.CountStatus(200), 5, 29); // burst 4 + 1, plus 1/s while the loop runs; at least one 503
        Assert.Equal(statuses.Count(s => s == 503) / 30.0, log.StatusShare(503), 6);
        output.WriteLine($"limit_req 1r/s burst 4: {log.CountStatus(200)} × 200, {log.CountStatus(503)} × 503 of 30");
    }

    [SkippableFact]
    public void Go_meets_a_frozen_nginx_with_a_TLS_handshake_timeout_after_10_seconds()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        nginx.Freeze();
        var watch = Stopwatch.StartNew();
        var (code, _, stderr) = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", nginx.GoEnvironment);
        watch.Stop();
        Assert.NotEqual(0, code);
        Assert.Contains("net/http: TLS handshake timeout", stderr, StringComparison.Ordinal);
        output.WriteLine($"go against a frozen nginx: exit {code} after {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.InRange(watch.Elapsed.TotalSeconds, 9.5, 30);

        // Positive control: thawed, the same server serves the same download.
        nginx.Thaw();
        var thawed = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", nginx.GoEnvironment);
        Assert.True(thawed.ExitCode == 0, thawed.Stderr);
        Assert.Equal(3, nginx.AccessLog(atLeast: 3).CountStatus(200));
    }

    [SkippableFact]
    public void Go_meets_a_killed_nginx_with_connection_refused_one_dial_per_version()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        nginx.Kill();
        using var syns = SynCounter.Start(nginx.Port, device: "lo");
        using var go = new GoTool();
        var versions = Tree.Take(4);
        var (code, _, stderr) = go.Run("mod download " + string.Join(' ', versions), nginx.GoEnvironment);
        var times = syns.Stop();
        Assert.NotEqual(0, code);
        output.WriteLine($"go against a killed nginx: {times.Count} SYNs for {versions.Length} versions over {(times.Count > 1 ? times[^1] - times[0] : 0):0.000} s");
        Assert.Equal(versions.Length, stderr.Split('\n').Count(l => l.Contains("connect: connection refused", StringComparison.Ordinal)));
        // cmd/go does not retry a refused dial: one SYN per module version (its .info), none for .mod/.zip.
        Assert.Equal(versions.Length, times.Count);
    }

    private static HttpClient Http(NginxPeer nginx)
    {
        var ca = nginx.Certificates.Authority;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => RawHttp2Client.Trusts(ca, cert);
        return new HttpClient(handler) { BaseAddress = nginx.Url, DefaultRequestVersion = new Version(2, 0), Timeout = TimeSpan.FromSeconds(30) };
    }
}
