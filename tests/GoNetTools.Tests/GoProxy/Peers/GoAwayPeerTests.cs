using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// Issue 16's GOAWAY semantics against the real servers: `nginx -s reload` and Go 1.19's Server.Shutdown() mid-run
/// are a graceful shutdown, not a budget, and the old connection's request count is the server's own. Both
/// servers send a single GOAWAY (LastStreamID = the last stream received, NO_ERROR; see the peers README), not
/// the two-step one: the two-step case is the lab's (TestGoProxyStabilityLabTests).
/// </summary>
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
public sealed class GoAwayPeerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    [SkippableFact]
    [Trait("Category", Category.Nginx)]
    public void An_nginx_reload_mid_run_is_a_graceful_shutdown_with_the_old_connections_real_count()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { DebugLog = true });
        using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Duration '8s' -Pause '0s' -PassThru", Tree.Modules);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (nginx.AccessLog().Requests.Count < 150)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not start");
            Thread.Sleep(20);
        }
        // A round's connection is closed by us at its end (go's exit): a reload that falls between two rounds meets no
        // connection and sends nothing. Reload until nginx has sent a GOAWAY (its debug log says so).
        for (int i = 0; i < 5 && nginx.DebugLog().GoAways.Count == 0; i++)
        {
            nginx.Reload();
            Thread.Sleep(300);
        }
        var r = run.Ok();
        var log = nginx.AccessLog(atLeast: r.Requests);
        var sent = nginx.DebugLog().GoAways;

        Assert.NotEmpty(sent);
        Assert.Equal(sent.Count, r.GoAways);
        Assert.Equal(sent.Count, r.GoAwayEvents.Length);
        foreach (var frame in sent)
        {
            // nginx's connection number in the debug log is the access log's $connection: its requests, counted by nginx.
            var old = Assert.Single(log.Connections, c => c.Id == frame.Connection);
            var ours = PeerStability.ByLocalPort(r.ConnectionRecords!, old.RemotePort)!;
            var e = Assert.Single(r.GoAwayEvents, x => x.ConnectionId == ours.Id);
            Assert.Equal((GoAwayKind.Shutdown, frame.StreamId, "NO_ERROR"), (e.Kind, e.LastStreamId, e.ErrorCode));
            Assert.Equal(old.Requests.Count, e.RequestsCarried);
            var finding = Assert.Single(r.Findings, f => f.Code == "GoAwayShutdown");
            Assert.Contains($"after {old.Requests.Count} requests", finding.Message);
            output.WriteLine($"nginx *{frame.Connection}: GOAWAY sid {frame.StreamId}, {old.Requests.Count} requests in its log; ours: {e}");
        }
        Assert.DoesNotContain(r.Findings, f => f.Code == "GoAwayBudget");
        Assert.Equal(0, r.Failures);
        Assert.Equal(log.Requests.Count, r.Requests);
    }

    [SkippableFact]
    [Trait("Category", Category.Go)]
    public void Gos_server_Shutdown_mid_run_is_a_graceful_shutdown_with_the_old_connections_real_count()
    {
        using var server = GoPeer.Start(Tree.DownloadDir);
        using var run = PeerStability.Start(server.Url.ToString().TrimEnd('/'), server.Certificates.CaPath, "-Duration '30s' -Pause '0s' -PassThru", Tree.Modules);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Log().Requests.Count < 150)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not start");
            Thread.Sleep(20);
        }
        server.Shutdown();
        var r = run.Ok();
        Assert.True(server.WaitShutdownEnd(TimeSpan.FromSeconds(10)), "Shutdown() did not return");
        var log = server.Log();

        var e = Assert.Single(r.GoAwayEvents);
        Assert.Equal(GoAwayKind.Shutdown, e.Kind);
        Assert.Equal((1, "NO_ERROR"), (e.Frames, e.ErrorCode));
        Assert.NotEqual(int.MaxValue, e.FirstLastStreamId);
        // The connection that got it, in the server's own log (its remote port is our local port).
        var ours = r.ConnectionRecords!.Single(c => c.Id == e.ConnectionId);
        var port = ours.LocalEndPoint[(ours.LocalEndPoint.LastIndexOf(':') + 1)..];
        var theirs = Assert.Single(log.Connections, c => c.Remote.EndsWith(":" + port, StringComparison.Ordinal));
        Assert.Equal(log.RequestsPerConnection[theirs.Id], e.RequestsCarried);
        Assert.Equal((e.RequestsCarried * 2) - 1, e.LastStreamId);
        var finding = Assert.Single(r.Findings, f => f.Code == "GoAwayShutdown");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"after {e.RequestsCarried} requests"), finding.Message);
        Assert.DoesNotContain(r.Findings, f => f.Code == "GoAwayBudget");
        // After Shutdown() the server is gone: the run ends on refused connects, and says so.
        Assert.Equal(StabilityVerdict.Unstable, r.Verdict);
        Assert.Contains(r.Findings, f => f.Code == "ConnectFailures");
        Assert.Equal(log.Requests.Count, r.Requests - r.Failures);
        output.WriteLine($"Go server: connection {theirs.Id} carried {log.RequestsPerConnection[theirs.Id]} requests; ours: {e}; {r.Verdict} ({r.StoppedEarly})");
    }
}
