using System;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// Issues 10 and 16 against nginx 1.22 (Debian) serving a module cache the real go filled, TLS + HTTP/2 unless
/// said otherwise; nginx's access and debug logs, ss and tcpdump are the witnesses.
/// </summary>
[Trait("Category", Category.Go)]
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
public sealed class NginxStabilityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    [SkippableFact]
    public void Healthy_nginx_is_Stable_and_one_round_is_exactly_what_go_sends()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using (var go = new GoTool())
        {
            var (code, _, stderr) = go.Run("mod download " + string.Join(' ', Tree.Modules), nginx.GoEnvironment);
            Assert.True(code == 0, stderr);
        }
        int n = Tree.Modules.Count;
        var goRequests = nginx.AccessLog(atLeast: 3 * n).Requests.ToList();
        Assert.Equal(3 * n, goRequests.Count);

        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 1", Tree.Modules);
        var ours = nginx.AccessLog(atLeast: 6 * n).Requests.Skip(3 * n).ToList();
        // The same 3N requests as go's, URI for URI ('!' sent as %21 by both), and nothing else.
        Assert.Equal(3 * n, r.Requests);
        Assert.Equal(goRequests.Select(q => q.Uri).OrderBy(u => u, StringComparer.Ordinal), ours.Select(q => q.Uri).OrderBy(u => u, StringComparer.Ordinal));
        Assert.Equal(3 * n, r.RequestsPerRound);
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        Assert.Empty(r.Findings);
        // One h2 connection, as go's: nginx saw one connection carrying all of them.
        Assert.Equal(1, r.Connections);
        Assert.Equal(3 * n, Assert.Single(ours.GroupBy(q => q.Connection)).Count());
        Assert.All(ours, q => Assert.Equal((200, "HTTP/2.0"), (q.Status, q.Protocol)));
        Assert.False(r.RequestsByKind.Contains("list"));
        output.WriteLine($"go: {goRequests.Count} requests; ours: {r.Requests} requests, {r.Connections} connection, {r.Verdict}");
    }

    [SkippableFact]
    public void Keepalive_requests_50_is_Stable_with_a_GoAway_budget_of_50_per_connection()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { KeepaliveRequests = 50, DebugLog = true });
        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 2 -Pause '0.2s' -PassThru", Tree.Modules);
        var log = nginx.AccessLog(atLeast: 240);
        var sent = nginx.DebugLog().GoAways;

        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        Assert.All(r.Findings, f => Assert.Equal(FindingSeverity.Info, f.Severity));
        var budget = Assert.Single(r.Findings, f => f.Code == "GoAwayBudget");
        Assert.Equal(50, (int)budget.Evidence["RequestsPerConnection"]!);
        // Every GOAWAY nginx sent, we saw: 120 requests a round = 50 + 50 + 20, two GOAWAYs (last stream id 99) a round.
        Assert.Equal(4, sent.Count);
        Assert.Equal(sent.Count, r.GoAways);
        Assert.All(sent, f => Assert.Equal((99, 0u), (f.StreamId, f.ErrorCode)));
        Assert.All(r.GoAwayEvents, e => Assert.Equal((GoAwayKind.Budget, 50, 99), (e.Kind, e.RequestsCarried, e.LastStreamId)));
        // Each connection that got one carried exactly what nginx logged for it (matched by our local port).
        foreach (var connection in log.Connections.Where(c => c.MaxConnectionRequests == 50))
        {
            var ours = PeerStability.ByLocalPort(r.ConnectionRecords!, connection.RemotePort);
            Assert.NotNull(ours);
            Assert.Equal((50, "Budget"), (ours!.RequestsAtGoAway, ours.GoAwayKind));
        }
        // Nothing failed, no stream reset; what nginx never processed was sent again and counted as retries.
        Assert.Equal(240, r.Requests);
        Assert.Equal(log.Requests.Count, r.Requests);
        Assert.Equal(0, r.Failures);
        Assert.Equal(0, r.RstStreams);
        int streams = r.ConnectionRecords!.Sum(c => c.Requests);
        Assert.Equal(streams - log.Requests.Count, r.Retries);
        Assert.Equal(r.Retries, r.RetriesByCause.Values.Cast<int>().Sum());
        output.WriteLine($"nginx GOAWAYs {sent.Count}, ours {r.GoAways}; requests {r.Requests} = log {log.Requests.Count}; retries {r.Retries}; findings {string.Join(",", r.Findings.Select(f => f.Code))}");
    }

    [SkippableFact]
    public void Http11_churn_is_ConnectionChurn_and_our_TIME_WAIT_is_what_ss_counts_client_side()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Http2 = false, KeepaliveTimeout = TimeSpan.Zero });
        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 1 -Concurrency 4 -HttpVersion 1.1", Tree.Modules);
        var ss = TimeWaitCount.For(nginx.Port);
        var log = nginx.AccessLog(atLeast: 120);

        Assert.Contains("ConnectionChurn", r.Findings.Where(f => f.Severity == FindingSeverity.Warning).Select(f => f.Code));
        Assert.Equal(log.Connections.Count, r.Connections);
        Assert.Equal(120, r.Connections);
        // Our figure is our sockets only: equal to ss's client side, and the proxy's side shown apart, equal to ss's.
        Assert.Equal(ss.ClientSide, r.TimeWaitEnd);
        Assert.Equal(ss.ServerSide, r.ServerTimeWaitEnd);
        Assert.True(ss.ServerSide + ss.ClientSide > 0, "no TIME_WAIT on either side: the positive control failed");
        Assert.DoesNotContain(r.Findings, f => f.Code is "TimeWaitGrowth" or "PortExhaustionRisk");
        Assert.Equal(r.Connections, r.ClosedByServer + r.ClosedByClient + r.ClosedAborted);
        output.WriteLine($"connections {r.Connections} = log {log.Connections.Count}; TIME_WAIT ours {r.TimeWaitEnd} = ss client {ss.ClientSide}; proxy side {r.ServerTimeWaitEnd} = ss server {ss.ServerSide}");
    }

    [SkippableFact]
    public void Limit_req_503s_give_RequestFailures_with_the_access_logs_share()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { LimitRequestsPerSecond = 20, LimitBurst = 10 });
        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 2 -Pause '0.2s'", Tree.Modules);
        var log = nginx.AccessLog(atLeast: r.Requests);

        Assert.True(log.CountStatus(503) > 10, $"only {log.CountStatus(503)} 503s: the positive control failed");
        var finding = Assert.Single(r.Findings, f => f.Code == "RequestFailures");
        double ours = (double)r.Failures / r.Requests;
        Assert.InRange(ours - log.StatusShare(503), -0.01, 0.01);
        Assert.Equal(Math.Round(ours, 4), (double)finding.Evidence["FailureShare"]!);
        Assert.Equal(log.CountStatus(503), (int)r.StatusCodes["503"]!);
        output.WriteLine($"503s {log.CountStatus(503)} of {log.Requests.Count}: log share {log.StatusShare(503):P2}, ours {ours:P2}");
    }

    [SkippableFact]
    public void Compare_where_Gos_http11_pool_churns_says_http2_is_healthier_with_both_figures()
    {
        // Downloads that take a moment overlap, and Go's HTTP/1.1 pool keeps only 2 idle connections: with 8 parallel
        // downloads it closes the rest after each wave and dials again. The real go does it here too (the witness).
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { LimitRateBytesPerSecond = 32 * 1024 });
        long goConnections, goCarrying;
        using (var go = new GoTool())
        using (var syns = SynCounter.Start(nginx.Port, device: "lo"))
        {
            var env = new System.Collections.Hashtable(nginx.GoEnvironment) { ["GODEBUG"] = "http2client=0", ["GOMAXPROCS"] = "8" };
            var (code, _, stderr) = go.Run("mod download " + string.Join(' ', Tree.Modules), env);
            Assert.True(code == 0, stderr);
            // Go dials when no idle connection is there and uses one freed meanwhile: some dialed ones carry nothing.
            goConnections = syns.Count;
            goCarrying = nginx.AccessLog(atLeast: 120).Connections.Count;
        }
        Assert.True(goCarrying > 8, $"go's HTTP/1.1 pool made only {goCarrying} connections: no churn to compare");
        using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Compare -Rounds 2 -Pause '0.2s' -Concurrency 8", Tree.Modules);
        run.Wait();
        Assert.Empty(run.Pipeline.AllErrors);
        var c = Assert.Single(run.Pipeline.Objects<GoProxyComparison>());
        Assert.True(c.Healthier == "HTTP/2 ×8", $"{c.Healthier}: {c.Reason}; " + string.Join(" | ", c.Results.Select(x =>
            $"{x.HttpVersion}: {x.Verdict} req {x.Requests} fail {x.Failures} conns {x.Connections} tw {x.TimeWaitPeak} round {x.RoundDurationP50} {string.Join(",", x.Findings.Select(f => f.Code))}")));
        Assert.Equal(new[] { "2", "1.1" }, c.Variants.Select(v => v.HttpVersion));
        var (h2, h1) = (c.Variants[0], c.Variants[1]);
        Assert.True(h2.Healthier && !h1.Healthier);
        Assert.Equal(2, h2.Connections);
        // Our HTTP/1.1 pool churns as go's does: per round about as many TCP connections as go opened in its download.
        Assert.True(h1.Connections / 2.0 >= goConnections * 0.5 && h1.Connections / 2.0 <= goConnections * 2.0,
            $"ours {h1.Connections / 2.0} a round; go: {goConnections} connections (SYNs), {goCarrying} carried requests");
        Assert.Contains("ConnectionChurn", h1.Problems);
        Assert.Contains(h2.Name, c.Reason);
        Assert.Contains(h1.Name, c.Reason);
        Assert.Equal(2, c.Results.Length);
        Assert.Equal(120 + c.Results.Sum(x => x.Requests), nginx.AccessLog(atLeast: 600).Requests.Count);
        output.WriteLine($"{c.Healthier}: {c.Reason}; go HTTP/1.1: {goConnections} connections ({goCarrying} carrying); ours: h2 {h2.Connections}, h1 {h1.Connections} over 2 rounds");
    }

    [SkippableFact]
    public void Compare_on_nginx_keepalive_timeout_0_finds_both_protocols_churning()
    {
        // Issue 10 names "the HTTP/1.1-churn nginx" for -Compare. nginx 1.22 with keepalive_timeout 0 closes HTTP/2
        // connections after each request as well: switching protocol cannot help there, and the comparison must not
        // pretend it does on a few TIME_WAIT sockets (8 against 9 here once). Where go's own HTTP/1.1 pool churns and
        // HTTP/2 does not, the test above shows HTTP/2 healthier. Here the two carry the same connections per response;
        // what the comparer names then rests on later figures (our few client-side TIME_WAIT sockets, round time) that
        // go either way from run to run, so only the churn is asserted.
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { KeepaliveTimeout = TimeSpan.Zero });
        using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Compare -Rounds 2 -Pause '0.2s'", Tree.Modules);
        run.Wait();
        Assert.Empty(run.Pipeline.AllErrors);
        var c = Assert.Single(run.Pipeline.Objects<GoProxyComparison>());
        output.WriteLine($"{c.Healthier}: {c.Reason}; " + string.Join("; ", c.Variants.Select(v => $"{v.Name} {v.Connections} connections for {v.Requests} requests, TIME_WAIT peak {v.TimeWaitPeak}, retries {v.Retries}")));
        var log = nginx.AccessLog(atLeast: c.Results.Sum(x => x.Requests));
        Assert.Equal(log.Connections.Count, c.Results.Sum(x => x.Connections));
        Assert.Equal(log.Requests.Count, c.Results.Sum(x => x.Requests));
        Assert.All(c.Variants, v =>
        {
            Assert.Contains("ConnectionChurn", v.Problems);
            Assert.True(v.Connections >= v.Requests / 2, $"{v.Name}: {v.Connections} connections for {v.Requests} requests");
            Assert.Equal(0, v.Failures);
        });
        Assert.DoesNotContain("connections per response", c.Reason);
    }

    [SkippableFact]
    public void On_nginx_keepalive_timeout_0_http2_churns_as_well_and_go_retries_do_not_fail()
    {
        // nginx 1.22 closes an idle HTTP/2 connection after keepalive_timeout too: with 0, every request of a
        // sequential resolve gets its own connection, whatever the protocol. What nginx never processed is sent
        // again, as go does (go: 120 requests on 120 connections, no failure), and nothing fails.
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { KeepaliveTimeout = TimeSpan.Zero });
        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 2 -Pause '0.2s' -Concurrency 4", Tree.Modules);
        var log = nginx.AccessLog(atLeast: 240);
        // Seen once in ~25 runs, only while other suites loaded the machine: one failed request. Say which, if it comes back.
        Assert.True(r.Failures == 0, "failures: " + string.Join(", ", r.FailuresByType.Keys.Cast<string>().Select(k => $"{k} {r.FailuresByType[k]}"))
            + " | findings: " + string.Join(" ; ", r.Findings.Select(f => $"{f.Code}: {f.Message}")));
        Assert.Equal(log.Requests.Count, r.Requests);
        Assert.True(r.Retries > 0, "no retry: nothing raced nginx's close");
        Assert.Equal(log.Connections.Count, r.Connections);
        Assert.True(r.Connections > 100, $"{r.Connections} connections");
        Assert.Contains("ConnectionChurn", r.Findings.Select(f => f.Code));
        output.WriteLine($"connections {r.Connections} = log {log.Connections.Count} for {r.Requests} requests; retries {r.Retries} ({string.Join(", ", r.RetriesByCause.Keys.Cast<string>().Select(k => $"{k} {r.RetriesByCause[k]}"))}); failures {r.Failures}");
    }

    [SkippableTheory]
    [InlineData(100, null)]
    [InlineData(null, 0)]
    public void Http11_closers_equal_tcpdumps_first_FIN(int? keepaliveRequests, int? keepaliveTimeoutSeconds)
    {
        // keepalive_requests 100: nginx answers the 100th request with Connection: close and the client closes first
        // (go and .NET alike); keepalive_timeout 0: nginx closes first after every response (the positive control).
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions
        {
            Http2 = false, KeepaliveRequests = keepaliveRequests,
            KeepaliveTimeout = keepaliveTimeoutSeconds is int t ? TimeSpan.FromSeconds(t) : null,
        });
        using var capture = new LoopbackCapture($"tcp port {nginx.Port}");
        var r = PeerStability.Run(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Rounds 3 -Pause '0.2s' -Concurrency 4 -HttpVersion 1.1", Tree.Modules);
        System.Threading.Thread.Sleep(500);
        var wire = TcpCloses.Read(capture.Stop(), nginx.Port);
        var ss = TimeWaitCount.For(nginx.Port);
        Assert.Equal(0, capture.Dropped ?? 0);
        Assert.Equal(0, wire.Unclosed);
        Assert.Equal(wire.ServerFirst + wire.ClientFirst, r.Connections);
        var message = $"tcpdump: server first {wire.ServerFirst}, client first {wire.ClientFirst} (with RST {wire.WithReset}, FINs crossed {wire.CrossedServerFirst} server-first / {wire.CrossedClientFirst} client-first); ours: server {r.ClosedByServer}, client {r.ClosedByClient}, aborted {r.ClosedAborted}";
        if (keepaliveRequests is not null)
        {
            // Issue 16's case: equal.
            Assert.True((wire.ServerFirst, wire.ClientFirst) == (r.ClosedByServer + r.ClosedAborted, r.ClosedByClient), message);
        }
        else
        {
            // nginx closes right after every response while we close on its Connection: close: now and then both
            // FINs cross on loopback (each sent before the other arrived). Which one tcpdump shows first is the order
            // of two transmissions no socket state records; we call those ours (we sent FIN before seeing theirs). The
            // closes tcpdump shows crossed can fall either way (a fresh-clone run: 302 server-first on the wire, 283 ours).
            Assert.True(Math.Abs(wire.ServerFirst - (r.ClosedByServer + r.ClosedAborted)) <= Math.Max(2, r.Connections / 30) + wire.CrossedServerFirst + wire.CrossedClientFirst, message);
        }
        Assert.True(keepaliveRequests is null ? wire.ServerFirst > r.Connections / 2 : wire.ClientFirst > 0,
            $"server first {wire.ServerFirst}, client first {wire.ClientFirst}");
        // Our TIME_WAIT figure is ss's client side, here where we close first (keepalive_requests 100: it is not 0).
        Assert.Equal(ss.ClientSide, r.TimeWaitEnd);
        Assert.Equal(ss.ServerSide, r.ServerTimeWaitEnd);
        Assert.True(keepaliveRequests is null || ss.ClientSide > 0, $"ss: no client-side TIME_WAIT after {wire.ClientFirst} client-first closes");
        output.WriteLine($"{message}; TIME_WAIT ours {r.TimeWaitEnd} = ss client {ss.ClientSide}, proxy side {r.ServerTimeWaitEnd} = ss server {ss.ServerSide}");
    }
}
