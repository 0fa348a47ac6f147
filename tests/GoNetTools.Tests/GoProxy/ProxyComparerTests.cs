using System;
using System.Linq;
using GoNetTools.GoProxy;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>-Compare: which variant is healthier, on the first figure that differs by more than noise.</summary>
public sealed class ProxyComparerTests
{
    private static GoProxyStabilityResult Run(string version, StabilityVerdict verdict, int connections, int failures = 0) => new()
    {
        Proxy = "https://p.example", HttpVersion = version, Concurrency = 4, Verdict = verdict, Requests = 1200, Responses = 1200 - failures,
        Failures = failures, Connections = connections, TimeWaitPeak = connections - 1, RoundDurationP50 = TimeSpan.FromSeconds(0.5), Rounds = 10,
        // The comparer judges the findings (less Http1Fallback), not the Verdict property: give each verdict its finding.
        Findings = (verdict == StabilityVerdict.Degraded ? new[] { new GoProxyFinding { Code = "ConnectionChurn", Severity = FindingSeverity.Warning } } : Array.Empty<GoProxyFinding>())
            .Concat(version == "1.1" ? new[] { new GoProxyFinding { Code = "Http1Fallback", Severity = FindingSeverity.Warning } } : Array.Empty<GoProxyFinding>()).ToArray(),
    };

    [SkippableFact]
    public void TheFirstFigureThatDiffersDecides()
    {
        var churn = ProxyComparer.Compare(new[] { Run("2", StabilityVerdict.Stable, 10), Run("1.1", StabilityVerdict.Degraded, 900) });
        Assert.Equal("HTTP/2 ×4", churn.Healthier);
        Assert.StartsWith("verdict: HTTP/2 ×4 Stable, HTTP/1.1 ×4 Degraded", churn.Reason);
        Assert.Equal(new[] { true, false }, churn.Variants.Select(v => v.Healthier));
        var sameVerdict = ProxyComparer.Compare(new[] { Run("2", StabilityVerdict.Stable, 10), Run("1.1", StabilityVerdict.Stable, 300) });
        Assert.StartsWith("connections per response", sameVerdict.Reason);
        var equal = ProxyComparer.Compare(new[] { Run("2", StabilityVerdict.Stable, 10), Run("1.1", StabilityVerdict.Stable, 10) });
        Assert.Equal("neither", equal.Healthier);
        // Http1Fallback alone (HTTP/1.1 was asked for) does not make the HTTP/1.1 variant Degraded.
        Assert.All(equal.Variants, v => Assert.Equal(StabilityVerdict.Stable, v.Verdict));
        Assert.Equal(new[] { (false, 4), (true, 4), (false, 8), (true, 8) }, ProxyComparer.Variants(4, 8).ToArray());
    }

    [SkippableFact]
    public void A_few_TIME_WAIT_sockets_apart_are_no_difference()
    {
        // nginx keepalive_timeout 0 closes every connection first, whatever the protocol: 240 connections each, and
        // our TIME_WAIT 8 against 9 (FINs that crossed). The next figure decides.
        GoProxyStabilityResult Churn(string version, int timeWait, double roundSeconds)
        {
            var r = Run(version, StabilityVerdict.Degraded, 240);
            return new GoProxyStabilityResult
            {
                Proxy = r.Proxy, HttpVersion = version, Concurrency = 4, Requests = 240, Responses = 240, Connections = 240, Rounds = 2,
                TimeWaitPeak = timeWait, RoundDurationP50 = TimeSpan.FromSeconds(roundSeconds), Findings = r.Findings,
            };
        }
        var close = ProxyComparer.Compare(new[] { Churn("2", 8, 0.58), Churn("1.1", 9, 0.79) });
        Assert.Equal("HTTP/2 ×4", close.Healthier);
        Assert.StartsWith("median round time", close.Reason);
        var tie = ProxyComparer.Compare(new[] { Churn("2", 8, 0.6), Churn("1.1", 9, 0.6) });
        Assert.Equal("neither", tie.Healthier);
        // Positive control: the same criterion decides once the gap is more than the floor as well as 10 %.
        var far = ProxyComparer.Compare(new[] { Churn("2", 8, 0.79), Churn("1.1", 8 + ProxyComparer.TimeWaitFloor + 1, 0.58) });
        Assert.Equal("HTTP/2 ×4", far.Healthier);
        Assert.StartsWith("peak TIME_WAIT of our sockets", far.Reason);
    }
}
