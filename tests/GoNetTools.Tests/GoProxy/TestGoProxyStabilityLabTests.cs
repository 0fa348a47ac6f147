using System;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.GoProxy.LabRun;

namespace GoNetTools.Tests.GoProxy;

/// <summary>The Done-when runs of issue 3: the real engine against the lab, counts checked against what the lab sent.</summary>
[Collection("GoProxyLoad")]
public sealed class TestGoProxyStabilityLabTests
{
    [Fact]
    public void HealthyHttp2LabIsStableOnOneConnection()
    {
        var run = Start("", "-Duration 00:00:04 -Concurrency 4");
        var r = run.Ok();
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        Assert.DoesNotContain(r.Findings, f => f.Severity >= FindingSeverity.Warning);
        Assert.Equal("h2=1", r.NegotiatedProtocol);
        Assert.Equal(1, r.Connections);
        Assert.True(r.Requests > 200, $"only {r.Requests} requests");
        Assert.Equal(0, r.Failures);
        Assert.Equal(run.Lab("Connections"), r.Connections);
        Assert.Equal(run.Lab("TlsHandshakes"), r.TlsHandshakes);
        // The lab also counts the few requests that were in flight when the run ended (left out by the client).
        Assert.InRange(run.Lab("Requests") - r.Requests, 0, 4);
        Assert.Equal(r.Requests, r.RequestsByKind.Values.Cast<int>().Sum());
        Assert.Equal(r.Requests, r.StatusCodes.Values.Cast<int>().Sum());
        Assert.True(r.LatencyP50 <= r.LatencyP95 && r.LatencyP95 <= r.LatencyP99);
        Assert.NotNull(r.PortBudget);
    }

    [Fact]
    public void Http1ChurnGivesConnectionChurnAndTimeWaitGrowthWithEvidence()
    {
        var run = Start("-Http1Only -CloseAfterRequests 1", "-Duration 00:00:05 -Concurrency 8 -HttpVersion 1.1");
        var r = run.Ok();
        Assert.Equal(StabilityVerdict.Degraded, r.Verdict);
        Assert.Contains("ConnectionChurn", Codes(r, FindingSeverity.Warning));
        Assert.Contains("Http1Fallback", Codes(r, FindingSeverity.Warning));
        var tw = r.Findings.SingleOrDefault(f => f.Code == "TimeWaitGrowth");
        Assert.True(tw is not null, $"no TimeWaitGrowth: TIME_WAIT {r.TimeWaitStart}->{r.TimeWaitEnd} ({r.TimeWaitGrowthPerMinute}/min), {r.Connections} connections, {r.ConnectionsPerSecond}/s");
        Assert.Equal(FindingSeverity.Warning, tw!.Severity);
        Assert.True(r.TimeWaitPeak >= 100, $"TIME_WAIT peak {r.TimeWaitPeak}");
        Assert.Equal(r.TimeWaitPeak, (int)tw.Evidence["TimeWaitPeak"]!);
        Assert.Equal(r.TimeWaitEnd, (int)tw.Evidence["TimeWaitEnd"]!);
        Assert.Equal(r.TimeWaitGrowthPerMinute, (double)tw.Evidence["TimeWaitGrowthPerMinute"]!);
        Assert.Contains("Set-TcpTuning", tw.Recommendation);
        // One request per connection: every connection the client opened is one the lab accepted. The lab may also
        // count the few (at most one per worker) whose connect or handshake was still running when the run ended.
        Assert.InRange(run.Lab("Connections") - r.Connections, 0, 8);
        Assert.InRange(run.Lab("TlsHandshakes") - r.TlsHandshakes, 0, 8);
        Assert.True(r.Connections > 100, $"{r.Connections} connections");
        Assert.True(r.ReuseRatio < 1.5, $"reuse {r.ReuseRatio}");
        Assert.StartsWith("http/1.1=", r.NegotiatedProtocol);
        // The lab sends Connection: close, so its FIN comes first on most connections.
        Assert.True(r.ClosedByServer > r.Connections / 2, $"server closed {r.ClosedByServer} of {r.Connections}");
    }

    [Fact]
    public void GoAwayAfterAStreamBudgetIsInformationalAndStable()
    {
        var run = Start("-GoAwayAfterStreams 100 -Latency 00:00:00.002", "-Duration 00:00:05 -Concurrency 2 -PassThru");
        var r = run.Ok();
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        var finding = Assert.Single(r.Findings, f => f.Code == "GoAwayBudget");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.True(r.GoAways >= 2, $"{r.GoAways} GOAWAYs");
        // Equal, but for a GOAWAY or connection the lab made in the last moment, after the client stopped reading.
        Assert.InRange(run.Lab("GoAwaysSent") - r.GoAways, 0, 1);
        Assert.InRange(run.Lab("Connections") - r.Connections, 0, 1);
        Assert.InRange(r.ReuseRatio, 90, 101);
        var records = run.Pipeline.Objects<GoProxyConnection>().ToArray();
        Assert.Equal(r.Connections, records.Length);
        Assert.Equal(r.GoAways, records.Sum(c => c.GoAways));
        Assert.All(records.Where(c => c.GoAways > 0), c => Assert.Equal("NO_ERROR", c.GoAwayError));
    }

    [Fact]
    public void StreamResetsMakeItUnstableAndMatchTheLab()
    {
        var run = Start("-ResetStreamPercent 20", "-Duration 00:00:04 -Concurrency 2");
        var r = run.Ok();
        Assert.Equal(StabilityVerdict.Unstable, r.Verdict);
        var finding = Assert.Single(r.Findings, f => f.Code == "StreamResets");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        // Equal, but for resets of the (at most two) streams in flight when the run ended.
        Assert.InRange(run.Lab("RstStreamsSent") - r.RstStreams, 0, 2);
        Assert.True(r.RstStreams > 50, $"{r.RstStreams} resets");
        Assert.Equal(r.RstStreams, (int)r.RstStreamCodes["INTERNAL_ERROR"]!);
        Assert.InRange((double)r.RstStreams / r.Requests, 0.15, 0.25);
        Assert.Contains("RequestFailures", Codes(r, FindingSeverity.Error));
    }

    [Fact]
    public void SlowTlsHandshakeIsReported()
    {
        var run = Start("-HandshakeDelay 00:00:09", "-Duration 00:00:12 -Concurrency 2");
        var r = run.Ok();
        var finding = Assert.Single(r.Findings, f => f.Code == "TlsHandshakeSlow");
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.InRange(r.TlsHandshakeP95!.Value.TotalSeconds, 8.9, 10);
        Assert.Equal(StabilityVerdict.Degraded, r.Verdict);
        Assert.Equal(run.Lab("TlsHandshakes"), r.TlsHandshakes);
    }

    [Fact]
    public void LabSwitchRunsAgainstADefaultLabAndStopsIt()
    {
        UseStagedLab();
        using var rs = new ModuleRunspace();
        var p = rs.Invoke("Test-GoProxyStability -Lab -Duration 00:00:03");
        Assert.Empty(p.AllErrors);
        var r = Assert.Single(p.Objects<GoProxyStabilityResult>());
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        Assert.True(r.Modules.Length >= 2);
        Assert.Empty(rs.Invoke("Get-GoProxyLab").Output);
    }

    [Fact]
    public void MainJobThroughTheHostPrintsAVerdict()
    {
        var (code, stdout, stderr) = GoNetToolsHost.Run("Test-GoProxyStability -Lab -Duration 00:00:05");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"Verdict\s+: Stable", stdout);
        Assert.Contains("Findings", stdout);
    }
}
