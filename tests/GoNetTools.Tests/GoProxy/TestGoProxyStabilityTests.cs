using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GoNetTools.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

[Collection("GoProxyLoad")]
/// <summary>Test-GoProxyStability through a real runspace against an in-test Kestrel GOPROXY (loopback only).</summary>
public sealed class TestGoProxyStabilityTests
{
    private static (GoProxyStabilityResult? Result, PipelineResult Pipeline, TimeSpan Took) Run(string arguments)
    {
        using var rs = new ModuleRunspace();
        var watch = Stopwatch.StartNew();
        var pipeline = rs.Invoke("Test-GoProxyStability " + arguments);
        return (pipeline.Objects<GoProxyStabilityResult>().SingleOrDefault(), pipeline, watch.Elapsed);
    }

    private static string[] Codes(GoProxyStabilityResult r, FindingSeverity? severity = null) =>
        r.Findings.Where(f => severity is null || f.Severity == severity).Select(f => f.Code).ToArray();

    [Fact]
    public async Task HealthyHttp2ProxyIsStableWithOneConnection()
    {
        await using var proxy = await new MiniProxy().StartAsync();
        var (r, p, _) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:04 -Concurrency 4 -SkipCertificateCheck");
        Assert.Empty(p.AllErrors);
        Assert.NotNull(r);
        Assert.Equal(StabilityVerdict.Stable, r!.Verdict);
        Assert.DoesNotContain(r.Findings, f => f.Severity >= FindingSeverity.Warning);
        Assert.Equal("h2=1", r.NegotiatedProtocol);
        Assert.Equal(1, r.Connections);
        Assert.Equal(1, r.TlsHandshakes);
        Assert.True(r.Requests > 100, $"only {r.Requests} requests");
        Assert.Equal(0, r.Failures);
        // Each request the client counted reached the server; the server may also have seen the few in flight at the end.
        Assert.InRange(proxy.Requests - r.Requests, 0, 4);
        Assert.Equal(proxy.Connections, r.Connections);
        Assert.True(r.LatencyP50 <= r.LatencyP95 && r.LatencyP95 <= r.LatencyP99);
        Assert.Equal(r.Requests, r.RequestsByKind.Values.Cast<int>().Sum());
    }

    [Fact]
    public async Task StreamResetsMakeItUnstableAndMatchWhatTheServerSent()
    {
        await using var proxy = await new MiniProxy(resetPercent: 20).StartAsync();
        var (r, p, _) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:04 -Concurrency 2 -SkipCertificateCheck");
        Assert.Empty(p.AllErrors);
        Assert.Equal(StabilityVerdict.Unstable, r!.Verdict);
        var finding = Assert.Single(r.Findings, f => f.Code == "StreamResets");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(proxy.Resets, r.RstStreams);
        Assert.Equal(r.RstStreams, (int)r.RstStreamCodes["INTERNAL_ERROR"]!);
        Assert.Equal(r.RstStreams, (int)r.FailuresByType["StreamReset"]!);
        Assert.Contains("RequestFailures", Codes(r, FindingSeverity.Error));
    }

    [Fact]
    public async Task GoAwayAfterAStreamBudgetIsInformationalAndStable()
    {
        await using var proxy = await new MiniProxy(goAwayAfter: 100, latency: TimeSpan.FromMilliseconds(2)).StartAsync();
        var (r, p, _) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:05 -Concurrency 2 -SkipCertificateCheck -PassThru");
        Assert.Empty(p.AllErrors);
        Assert.Equal(StabilityVerdict.Stable, r!.Verdict);
        var finding = Assert.Single(r.Findings, f => f.Code == "GoAwayBudget");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.True(r.GoAways >= 2, $"{r.GoAways} GOAWAYs");
        Assert.True(r.GoAways >= proxy.GoAways, $"client saw {r.GoAways} GOAWAY frames, server closed {proxy.GoAways} connections");
        Assert.Equal(proxy.Connections, r.Connections);
        // -PassThru: the per-connection records follow the result and carry the GOAWAYs.
        var records = p.Objects<GoProxyConnection>().ToArray();
        Assert.Equal(r.Connections, records.Length);
        Assert.Equal(r.GoAways, records.Sum(c => c.GoAways));
        // Stream 199 is the 100th client stream; streams already sent when the GOAWAY left are still served.
        Assert.All(records.Where(c => c.GoAways > 0 && c.GoAwayLastStreamId < int.MaxValue), c => Assert.InRange(c.GoAwayLastStreamId!.Value, 199, 199 + 2 * 2));
    }

    [Fact]
    public async Task Http11ChurnGivesConnectionChurnAndTimeWaitGrowth()
    {
        await using var proxy = await new MiniProxy(HttpProtocols.Http1, closeEach: true).StartAsync();
        var (r, p, _) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:05 -Concurrency 8 -HttpVersion 1.1 -SkipCertificateCheck");
        Assert.Empty(p.AllErrors);
        Assert.Equal(StabilityVerdict.Degraded, r!.Verdict);
        Assert.Contains("ConnectionChurn", Codes(r, FindingSeverity.Warning));
        Assert.Contains("Http1Fallback", Codes(r, FindingSeverity.Warning));
        var tw = Assert.Single(r.Findings, f => f.Code == "TimeWaitGrowth");
        Assert.True(r.TimeWaitPeak >= 50, $"TIME_WAIT peak {r.TimeWaitPeak}");
        Assert.Equal(r.TimeWaitPeak, (int)tw.Evidence["TimeWaitPeak"]!);
        Assert.Equal(r.TimeWaitGrowthPerMinute, (double)tw.Evidence["TimeWaitGrowthPerMinute"]!);
        Assert.Equal(proxy.Connections, r.Connections);
        Assert.True(r.ReuseRatio < 1.5, $"reuse {r.ReuseRatio}");
        Assert.Equal(r.Connections, r.TlsHandshakes);
        Assert.True(r.ClosedByServer > r.Connections / 2, $"server closed {r.ClosedByServer} of {r.Connections}");
    }

    [Fact]
    public async Task SlowTlsHandshakeIsReported()
    {
        await using var proxy = await new MiniProxy(handshakeDelay: TimeSpan.FromSeconds(6)).StartAsync();
        var (r, p, took) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:08 -Concurrency 2 -SkipCertificateCheck");
        Assert.Empty(p.AllErrors);
        var finding = Assert.Single(r!.Findings, f => f.Code == "TlsHandshakeSlow");
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.InRange(r.TlsHandshakeP95!.Value.TotalSeconds, 5.9, 7.5);
        Assert.True(took < TimeSpan.FromSeconds(18));
    }

    [Fact]
    public async Task HealthyRunWithFastHandshakesHasNoTlsFinding()
    {
        await using var proxy = await new MiniProxy(handshakeDelay: TimeSpan.FromMilliseconds(50)).StartAsync();
        var (r, _, _) = Run($"-Proxy {proxy.Url} -Module example.com/mini -Duration 00:00:02 -Concurrency 2 -SkipCertificateCheck");
        Assert.DoesNotContain("TlsHandshakeSlow", Codes(r!));
        Assert.True(r!.TlsHandshakeP50!.Value.TotalMilliseconds >= 50);
    }
}
