using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Workstation.NetworkLoad;

/// <summary>The figures of one window of a phase (nulls: not exposed).</summary>
internal sealed record WindowFigures(double P50Ms, double P99Ms, double? MeanMHz, double? TemperatureC);

/// <summary>
/// Decides which figures the load changed beyond run-to-run noise, and which links of heat → clock → softirq →
/// drops the data supports. Two tests, both stated in each change: for continuous figures (latency, clock,
/// temperature) every load window must lie beyond every baseline window — with 5 windows each, identical conditions
/// do that by chance once in 252 (one side); for counts (drops, time_squeeze, retransmits, lost probes, throttle
/// events) the load's count must exceed the baseline's by more than 3√n (Poisson noise over equal durations). Pure.
/// </summary>
internal static class NetworkLoadJudge
{
    public const string Separated = "every load window beyond every baseline window";
    public const string Poisson = "load count > baseline count + 3√max(baseline, 1)";

    public static List<NetworkLoadChange> Changes(NetworkLoadPhase baseline, NetworkLoadPhase load, IReadOnlyList<WindowFigures> baseWindows, IReadOnlyList<WindowFigures> loadWindows)
    {
        return new List<NetworkLoadChange>
        {
            Continuous("LatencyP50Ms", baseWindows.Select(w => (double?)w.P50Ms), loadWindows.Select(w => (double?)w.P50Ms), baseline.LatencyP50.TotalMilliseconds, load.LatencyP50.TotalMilliseconds),
            Continuous("LatencyP99Ms", baseWindows.Select(w => (double?)w.P99Ms), loadWindows.Select(w => (double?)w.P99Ms), baseline.LatencyP99.TotalMilliseconds, load.LatencyP99.TotalMilliseconds),
            Count("ProbesLost", baseline.ProbesLost, load.ProbesLost),
            Count("SoftnetDropped", baseline.SoftnetDropped, load.SoftnetDropped),
            Count("SoftnetTimeSqueeze", baseline.SoftnetTimeSqueeze, load.SoftnetTimeSqueeze),
            Count("NicRxDropped", baseline.NicRxDropped, load.NicRxDropped),
            Count("NicRxMissed", baseline.NicRxMissed, load.NicRxMissed),
            Count("TcpRetransmits", baseline.TcpRetransmits, load.TcpRetransmits),
            Count("ThrottleEvents", baseline.ThrottleEvents, load.ThrottleEvents),
            Continuous("CpuMHz", baseWindows.Select(w => w.MeanMHz), loadWindows.Select(w => w.MeanMHz), baseline.CpuMHzMean, load.CpuMHzMean),
            Continuous("TemperatureC", baseWindows.Select(w => w.TemperatureC), loadWindows.Select(w => w.TemperatureC), baseline.TemperatureMaxC, load.TemperatureMaxC),
        };
    }

    public static List<NetworkLoadLink> Chain(IReadOnlyList<NetworkLoadChange> changes)
    {
        NetworkLoadChange C(string metric) => changes.Single(c => c.Metric == metric);
        bool Up(NetworkLoadChange c) => c.Changed && c.UnderLoad > c.Baseline;
        var temperature = C("TemperatureC");
        var clock = C("CpuMHz");
        var throttle = C("ThrottleEvents");
        var squeeze = C("SoftnetTimeSqueeze");
        var p99 = C("LatencyP99Ms");
        var drops = new[] { C("SoftnetDropped"), C("NicRxDropped"), C("NicRxMissed"), C("ProbesLost") };
        return new List<NetworkLoadLink>
        {
            Link(ChainLink.Heat, temperature.Baseline is null ? ChainLinkStatus.NotExposed : Up(temperature) ? ChainLinkStatus.Supported : ChainLinkStatus.NotSeen,
                temperature.Baseline is null ? "no CPU temperature is exposed here" : Figure(temperature, "°C")),
            Link(ChainLink.Clock, clock.Baseline is null && throttle.Baseline is null ? ChainLinkStatus.NotExposed
                    : (clock.Changed && clock.UnderLoad < clock.Baseline) || Up(throttle) ? ChainLinkStatus.Supported : ChainLinkStatus.NotSeen,
                clock.Baseline is null && throttle.Baseline is null ? "neither the CPU clock nor throttle counters are exposed here"
                    : string.Join("; ", new[] { clock.Baseline is null ? null : "clock " + Figure(clock, "MHz"), throttle.Baseline is null ? null : "throttle events " + Figure(throttle, "") }.OfType<string>())),
            Link(ChainLink.Softirq, squeeze.Baseline is null ? ChainLinkStatus.NotExposed : Up(squeeze) ? ChainLinkStatus.Supported : ChainLinkStatus.NotSeen,
                squeeze.Baseline is null ? "softnet_stat is not exposed here"
                    : $"time_squeeze {Figure(squeeze, "")}" + (Up(p99) && !Up(squeeze) ? $"; the probe p99 rose ({Figure(p99, "ms")}) without softirqs running out of budget: the delay is in scheduling the probe, not in the softirq budget" : "")),
            Link(ChainLink.Drops, drops.All(d => d.Baseline is null) ? ChainLinkStatus.NotExposed : drops.Any(Up) ? ChainLinkStatus.Supported : ChainLinkStatus.NotSeen,
                string.Join("; ", drops.Where(d => d.Baseline is not null).Select(d => $"{d.Metric} {Figure(d, "")}"))),
        };
    }

    public static string Conclusion(string load, IReadOnlyList<NetworkLoadChange> changes, IReadOnlyList<NetworkLoadLink> chain)
    {
        var changed = changes.Where(c => c.Changed).Select(c => $"{c.Metric} {Figure(c, "")}").ToList();
        var supported = chain.Where(l => l.Status == ChainLinkStatus.Supported).Select(l => l.Link.ToString().ToLowerInvariant()).ToList();
        var missing = chain.Where(l => l.Status == ChainLinkStatus.NotExposed).Select(l => l.Link.ToString().ToLowerInvariant()).ToList();
        var text = $"Under load ({load}), " + (changed.Count == 0
            ? "no figure moved beyond run-to-run noise."
            : "these moved beyond run-to-run noise: " + string.Join(", ", changed) + ".");
        text += supported.Count == 0 ? " The data supports no link of heat → clock → softirq → drops."
            : supported.Count == 4 ? " The data supports the whole chain heat → clock → softirq → drops."
            : $" The data supports: {string.Join(", ", supported)}.";
        if (missing.Count > 0)
        {
            text += $" Not exposed here: {string.Join(", ", missing)}, so those links can be neither shown nor ruled out.";
        }
        return text;
    }

    private static NetworkLoadChange Continuous(string metric, IEnumerable<double?> baseWindows, IEnumerable<double?> loadWindows, double? baseline, double? load)
    {
        var b = baseWindows.ToList();
        var l = loadWindows.ToList();
        if (b.Count == 0 || l.Count == 0 || b.Any(v => v is null) || l.Any(v => v is null))
        {
            return new NetworkLoadChange { Metric = metric, Test = Separated + " (not exposed here)" };
        }
        var bv = b.Select(v => v!.Value).ToList();
        var lv = l.Select(v => v!.Value).ToList();
        return new NetworkLoadChange
        {
            Metric = metric,
            Baseline = Round(baseline),
            UnderLoad = Round(load),
            Noise = Round(bv.Max() - bv.Min()),
            Changed = lv.Min() > bv.Max() || lv.Max() < bv.Min(),
            Test = Separated,
        };
    }

    private static NetworkLoadChange Count(string metric, long? baseline, long? load)
    {
        if (baseline is null || load is null)
        {
            return new NetworkLoadChange { Metric = metric, Test = Poisson + " (not exposed here)" };
        }
        var noise = 3 * Math.Sqrt(Math.Max(baseline.Value, 1));
        return new NetworkLoadChange
        {
            Metric = metric, Baseline = baseline, UnderLoad = load, Noise = Round(noise), Changed = load > baseline + noise, Test = Poisson,
        };
    }

    private static NetworkLoadLink Link(ChainLink link, ChainLinkStatus status, string evidence) => new() { Link = link, Status = status, Evidence = evidence };

    private static string Figure(NetworkLoadChange c, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Baseline:0.###} → {c.UnderLoad:0.###}{(unit.Length > 0 ? " " + unit : "")}{(c.Changed ? " (changed)" : "")}");

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 3);
}
