using System;

namespace GoNetTools;

/// <summary>The workloads Measure-GoBuild knows by name.</summary>
public enum GoBuildWorkload
{
    /// <summary>A one-file hello-world module: the build the rule of thumb (0.8 s good, 1.5 s slow) is about.</summary>
    HelloWorld,
    /// <summary>`go build -a std`: every standard package, rebuilt.</summary>
    Std,
}

/// <summary>How Measure-GoBuild judges a build time.</summary>
public enum GoBuildVerdict
{
    /// <summary>No rule of thumb applies (std, a chosen package), or the runs failed.</summary>
    NotJudged,
    /// <summary>Within the rule of thumb for a good machine.</summary>
    Good,
    /// <summary>Between the good and the slow thresholds.</summary>
    Fair,
    /// <summary>Beyond the slow threshold: a power limit or thermal throttling, per the rule of thumb.</summary>
    Slow,
}

/// <summary>
/// One workload of Measure-GoBuild: N cold builds in throwaway caches, min/median/max, the go version, and what the
/// machine did meanwhile (clock per core against base and max, throttle counters, temperature, pressure, swap-ins).
/// </summary>
public sealed class GoBuildMeasurement
{
    /// <summary>HelloWorld, Std, or the import path built.</summary>
    public string Workload { get; init; } = "";
    /// <summary>The go command each run executed (the same line hyperfine would time).</summary>
    public string Command { get; init; } = "";
    /// <summary>`go version` of the go that ran.</summary>
    public string GoVersion { get; init; } = "";
    /// <summary>What "cold" meant for this workload (which cache was empty, what was prebuilt).</summary>
    public string CacheState { get; init; } = "";
    /// <summary>Runs that finished successfully.</summary>
    public int Runs { get; init; }
    /// <summary>Wall time of each successful run.</summary>
    public TimeSpan[] Times { get; init; } = Array.Empty<TimeSpan>();
    /// <summary>Fastest run.</summary>
    public TimeSpan Min { get; init; }
    /// <summary>Median run.</summary>
    public TimeSpan Median { get; init; }
    /// <summary>Slowest run.</summary>
    public TimeSpan Max { get; init; }
    /// <summary>Runs that failed (exit code other than 0); their error is written separately.</summary>
    public int FailedRuns { get; init; }
    /// <summary>The CPU's base clock, MHz, when exposed.</summary>
    public double? BaseMHz { get; init; }
    /// <summary>The CPU's highest clock, MHz, when exposed.</summary>
    public double? MaxMHz { get; init; }
    /// <summary>Lowest clock any CPU showed while building, MHz.</summary>
    public double? CpuMHzMin { get; init; }
    /// <summary>Median clock over all CPUs and samples while building, MHz.</summary>
    public double? CpuMHzMedian { get; init; }
    /// <summary>Highest clock any CPU showed while building, MHz.</summary>
    public double? CpuMHzMax { get; init; }
    /// <summary>Median clock per logical CPU while building, MHz.</summary>
    public double[]? CpuMHzPerCore { get; init; }
    /// <summary>Thermal throttle events during the runs.</summary>
    public long? ThrottleEvents { get; init; }
    /// <summary>CPU temperature before the first run, °C.</summary>
    public double? TemperatureStartC { get; init; }
    /// <summary>Hottest CPU temperature during the runs, °C.</summary>
    public double? TemperatureMaxC { get; init; }
    /// <summary>Share of the build time some task waited for a CPU (PSI cpu some), percent.</summary>
    public double? CpuPressurePercent { get; init; }
    /// <summary>Share of the build time some task stalled on memory (PSI memory some), percent.</summary>
    public double? MemoryPressurePercent { get; init; }
    /// <summary>Share of the build time some task waited for I/O (PSI io some), percent.</summary>
    public double? IoPressurePercent { get; init; }
    /// <summary>Pages swapped in during the runs.</summary>
    public long? SwapIns { get; init; }
    /// <summary>Good, Fair, Slow or NotJudged.</summary>
    public GoBuildVerdict Verdict { get; init; }
    /// <summary>The rule of thumb applied, with the measured figure, and what the machine data says about it.</summary>
    public string VerdictReason { get; init; } = "";
    /// <summary>What the machine does not expose (CPU frequency, temperatures…), and why.</summary>
    public string[] NotExposed { get; init; } = Array.Empty<string>();
    /// <summary>The samples taken while building.</summary>
    public MachineSample[] Samples { get; init; } = Array.Empty<MachineSample>();
}
