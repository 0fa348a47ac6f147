using System;

namespace GoNetTools;

/// <summary>What Test-NetworkUnderLoad runs as load.</summary>
public enum NetworkLoadKind
{
    /// <summary>`go build -a std` in a loop, in a throwaway cache.</summary>
    Compile,
    /// <summary>`go mod download` of a lab GOPROXY's catalog in a loop, into a fresh module cache each time.</summary>
    Download,
}

/// <summary>The links of the chain a hot machine drops packets by.</summary>
public enum ChainLink
{
    /// <summary>CPU temperature rose.</summary>
    Heat,
    /// <summary>The clock fell, or the CPU throttled.</summary>
    Clock,
    /// <summary>Receive softirqs ran late or out of budget (time_squeeze).</summary>
    Softirq,
    /// <summary>Packets were dropped (backlog, NIC, probe loss).</summary>
    Drops,
}

/// <summary>What the data says about one link.</summary>
public enum ChainLinkStatus
{
    /// <summary>The load changed this link's figures beyond run-to-run noise.</summary>
    Supported,
    /// <summary>Measured, and not changed beyond noise.</summary>
    NotSeen,
    /// <summary>This machine does not expose the figures (a VM has no thermal sensors or cpufreq).</summary>
    NotExposed,
}

/// <summary>
/// What Test-NetworkUnderLoad measured: the same probe and counters idle and under compile + download load, side
/// by side, which figures the load changed beyond run-to-run noise, and which links of heat → clock → softirq → drops
/// the data supports.
/// </summary>
public sealed class NetworkLoadResult
{
    /// <summary>The probe: "UDP echo 127.0.0.1:40123 every 10 ms" or "ICMP echo 192.0.2.1 via eth0 every 50 ms".</summary>
    public string Probe { get; init; } = "";
    /// <summary>The adapters whose drop counters were read.</summary>
    public string[] Adapters { get; init; } = Array.Empty<string>();
    /// <summary>What ran during the load phase.</summary>
    public string Load { get; init; } = "";
    /// <summary>The idle phase.</summary>
    public NetworkLoadPhase Baseline { get; init; } = new();
    /// <summary>The phase under load.</summary>
    public NetworkLoadPhase UnderLoad { get; init; } = new();
    /// <summary>Each figure, baseline against load, with the noise and whether the load changed it.</summary>
    public NetworkLoadChange[] Changes { get; init; } = Array.Empty<NetworkLoadChange>();
    /// <summary>Heat, clock, softirq and drops: what the data supports.</summary>
    public NetworkLoadLink[] Chain { get; init; } = Array.Empty<NetworkLoadLink>();
    /// <summary>The answer in one paragraph.</summary>
    public string Conclusion { get; init; } = "";
    /// <summary>go build -a std runs started and finished during the load.</summary>
    public int CompileRunsStarted { get; init; }
    /// <summary>go build -a std runs that finished during the load.</summary>
    public int CompileRunsFinished { get; init; }
    /// <summary>go build -a std runs that exited with an error (a LoadRunFailed error says why).</summary>
    public int CompileRunsFailed { get; init; }
    /// <summary>go mod download runs from the lab that finished during the load.</summary>
    public int DownloadRunsFinished { get; init; }
    /// <summary>go mod download runs that exited with an error (a LoadRunFailed error says why).</summary>
    public int DownloadRunsFailed { get; init; }
    /// <summary>The lab GOPROXY the downloads used.</summary>
    public string? LabUrl { get; init; }
    /// <summary>What the machine does not expose, and why.</summary>
    public string[] NotExposed { get; init; } = Array.Empty<string>();
    /// <summary>The machine samples of both phases (Phase says which).</summary>
    public MachineSample[] Samples { get; init; } = Array.Empty<MachineSample>();
}

/// <summary>One phase of Test-NetworkUnderLoad: probe figures and counter deltas.</summary>
public sealed class NetworkLoadPhase
{
    /// <summary>"baseline" or "load".</summary>
    public string Name { get; init; } = "";
    /// <summary>How long probes were sent.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Probes sent.</summary>
    public int ProbesSent { get; init; }
    /// <summary>Probes without an answer in time.</summary>
    public int ProbesLost { get; init; }
    /// <summary>ProbesLost ÷ ProbesSent × 100.</summary>
    public double LossPercent { get; init; }
    /// <summary>Median round trip.</summary>
    public TimeSpan LatencyP50 { get; init; }
    /// <summary>99th percentile round trip.</summary>
    public TimeSpan LatencyP99 { get; init; }
    /// <summary>The p99 of each window of the phase, ms (its spread is the run-to-run noise).</summary>
    public double[] WindowP99Ms { get; init; } = Array.Empty<double>();
    /// <summary>softnet_stat backlog drops during the phase.</summary>
    public long? SoftnetDropped { get; init; }
    /// <summary>softnet_stat time_squeeze during the phase.</summary>
    public long? SoftnetTimeSqueeze { get; init; }
    /// <summary>rx_dropped of the adapters during the phase.</summary>
    public long? NicRxDropped { get; init; }
    /// <summary>rx_missed_errors of the adapters during the phase.</summary>
    public long? NicRxMissed { get; init; }
    /// <summary>TCP segments retransmitted during the phase.</summary>
    public long? TcpRetransmits { get; init; }
    /// <summary>Mean CPU clock, MHz.</summary>
    public double? CpuMHzMean { get; init; }
    /// <summary>Lowest mean clock of any sample, MHz.</summary>
    public double? CpuMHzMin { get; init; }
    /// <summary>Hottest CPU temperature, °C.</summary>
    public double? TemperatureMaxC { get; init; }
    /// <summary>Thermal throttle events during the phase.</summary>
    public long? ThrottleEvents { get; init; }
    /// <summary>Share of the phase some task waited for a CPU (PSI cpu some), percent.</summary>
    public double? CpuPressurePercent { get; init; }
}

/// <summary>One figure, idle against loaded.</summary>
public sealed class NetworkLoadChange
{
    /// <summary>What was measured (LatencyP99Ms, SoftnetTimeSqueeze, CpuMHz…).</summary>
    public string Metric { get; init; } = "";
    /// <summary>Its value in the baseline.</summary>
    public double? Baseline { get; init; }
    /// <summary>Its value under load.</summary>
    public double? UnderLoad { get; init; }
    /// <summary>The run-to-run noise it was compared with (the baseline windows' spread, or 3√n for counts).</summary>
    public double? Noise { get; init; }
    /// <summary>True when the load moved it beyond the noise.</summary>
    public bool Changed { get; init; }
    /// <summary>How the change was decided.</summary>
    public string Test { get; init; } = "";
}

/// <summary>One link of heat → clock → softirq → drops.</summary>
public sealed class NetworkLoadLink
{
    /// <summary>Heat, Clock, Softirq or Drops.</summary>
    public ChainLink Link { get; init; }
    /// <summary>Supported, NotSeen or NotExposed.</summary>
    public ChainLinkStatus Status { get; init; }
    /// <summary>The figures behind the status.</summary>
    public string Evidence { get; init; } = "";
}
