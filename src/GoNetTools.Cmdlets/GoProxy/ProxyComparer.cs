using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>
/// -Compare: which of the same replay's variants (HTTP/2, HTTP/1.1 as GODEBUG=http2client=0, other concurrency) is
/// healthier, deciding on the first figure that differs, in this order: the verdict (Http1Fallback, which only says
/// HTTP/1.1 was asked for, left out); the failure share (by more
/// than a point); connections per response (churn, by more than 10 %); the peak of our TIME_WAIT sockets (by more
/// than 10 % and more than <see cref="TimeWaitFloor"/> sockets: on a proxy that closes first, a few client-side
/// TIME_WAIT sockets come from FINs that crossed, not from health); the median time of one cold download (by more
/// than 10 %).
/// </summary>
internal static class ProxyComparer
{
    /// <summary>Fewer TIME_WAIT sockets apart than this is no difference (nginx keepalive_timeout 0: 8 against 9 of 240 connections).</summary>
    public const int TimeWaitFloor = 10;

    /// <summary>The variants to run: each concurrency as HTTP/2 and as HTTP/1.1.</summary>
    public static IEnumerable<(bool Http11, int Concurrency)> Variants(int concurrency, int? other)
    {
        foreach (var c in other is { } o && o != concurrency ? new[] { concurrency, o } : new[] { concurrency })
        {
            yield return (false, c);
            yield return (true, c);
        }
    }

    public static GoProxyComparison Compare(IReadOnlyList<GoProxyStabilityResult> results)
    {
        var criteria = new (string Name, Func<GoProxyStabilityResult, double> Value, Func<double, string> Show, double Margin, bool Relative, double Floor)[]
        {
            ("verdict", r => (int)Verdict(r), v => ((StabilityVerdict)(int)v).ToString(), 0.5, false, 0),
            ("failure share", Share, v => v.ToString("P1", CultureInfo.InvariantCulture), 0.01, false, 0),
            ("connections per response", r => r.Responses == 0 ? r.Connections : (double)r.Connections / r.Responses, v => v.ToString("0.###", CultureInfo.InvariantCulture), 0.10, true, 0),
            ("peak TIME_WAIT of our sockets", r => r.TimeWaitPeak, v => v.ToString("0", CultureInfo.InvariantCulture), 0.10, true, TimeWaitFloor),
            ("median round time", r => r.RoundDurationP50?.TotalSeconds ?? double.MaxValue, v => v == double.MaxValue ? "no round" : $"{v:0.###} s", 0.10, true, 0),
        };
        var ranked = results.ToList();
        string reason = "equal on verdict, failures, connections, TIME_WAIT and round time";
        GoProxyStabilityResult? best = null;
        foreach (var (name, value, show, margin, relative, floor) in criteria)
        {
            var ordered = ranked.OrderBy(value).ToList();
            double a = value(ordered[0]), b = value(ordered[^1]);
            double gap = relative ? (b - a) / Math.Max(Math.Abs(b), 1e-9) : b - a;
            if (gap > margin && b - a > floor)
            {
                best = ordered[0];
                reason = $"{name}: {Name(best)} {show(a)}, " + string.Join(", ", ordered.Skip(1).Select(r => $"{Name(r)} {show(value(r))}"));
                break;
            }
        }
        return new GoProxyComparison
        {
            Proxy = results.FirstOrDefault()?.Proxy ?? "",
            Healthier = best is null ? "neither" : Name(best),
            Reason = reason,
            Variants = results.Select(r => Variant(r, ReferenceEquals(r, best))).ToArray(),
            Results = results.ToArray(),
        };
    }

    /// <summary>
    /// The verdict without Http1Fallback: in a comparison HTTP/1.1 is asked for, and what it costs (churn, TIME_WAIT,
    /// failures) has findings of its own.
    /// </summary>
    private static StabilityVerdict Verdict(GoProxyStabilityResult r) =>
        StabilityRules.Verdict(r.Findings.Where(f => f.Code != "Http1Fallback"), r.Responses);

    private static double Share(GoProxyStabilityResult r) => r.Requests == 0 ? 1 : (double)r.Failures / r.Requests;

    public static string Name(GoProxyStabilityResult r) => $"HTTP/{r.HttpVersion} ×{r.Concurrency}";

    private static GoProxyComparisonVariant Variant(GoProxyStabilityResult r, bool healthier) => new()
    {
        Name = Name(r),
        HttpVersion = r.HttpVersion,
        Concurrency = r.Concurrency,
        Verdict = Verdict(r),
        Healthier = healthier,
        Rounds = r.Rounds,
        RoundDurationP50 = r.RoundDurationP50,
        Requests = r.Requests,
        Failures = r.Failures,
        FailureShare = Math.Round(Share(r), 4),
        Retries = r.Retries,
        Connections = r.Connections,
        ReuseRatio = r.ReuseRatio,
        ConnectionsPerSecond = r.ConnectionsPerSecond,
        TimeWaitPeak = r.TimeWaitPeak,
        TlsHandshakes = r.TlsHandshakes,
        LatencyP95 = r.LatencyP95,
        Problems = string.Join(", ", r.Findings.Where(f => f.Severity >= FindingSeverity.Warning).Select(f => f.Code)),
    };
}
