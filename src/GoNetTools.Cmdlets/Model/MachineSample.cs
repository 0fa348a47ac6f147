using System;

namespace GoNetTools;

/// <summary>
/// What the machine was doing at one moment of a Measure-GoBuild or Test-NetworkUnderLoad run. Counters are
/// cumulative (since boot) so two samples give a delta; a null property is not exposed here.
/// </summary>
public sealed class MachineSample
{
    /// <summary>Time since the run began.</summary>
    public TimeSpan Offset { get; init; }
    /// <summary>What the run was doing ("idle", "run 2", "baseline", "load").</summary>
    public string Phase { get; init; } = "";
    /// <summary>Clock of each logical CPU in MHz (scaling_cur_freq); null when not exposed.</summary>
    public double[]? CpuMHz { get; init; }
    /// <summary>Hottest CPU temperature, °C.</summary>
    public double? TemperatureC { get; init; }
    /// <summary>Thermal throttle events since boot (core plus package).</summary>
    public long? ThrottleEvents { get; init; }
    /// <summary>PSI cpu "some" total, microseconds since boot.</summary>
    public long? CpuPressureUs { get; init; }
    /// <summary>PSI memory "some" total, microseconds.</summary>
    public long? MemoryPressureUs { get; init; }
    /// <summary>PSI memory "full" total, microseconds.</summary>
    public long? MemoryFullPressureUs { get; init; }
    /// <summary>PSI io "some" total, microseconds.</summary>
    public long? IoPressureUs { get; init; }
    /// <summary>Pages swapped in since boot (pswpin).</summary>
    public long? SwapIns { get; init; }
    /// <summary>Packets dropped because a CPU's input backlog was full (softnet_stat column 2, all CPUs).</summary>
    public long? SoftnetDropped { get; init; }
    /// <summary>Times net_rx_action ran out of budget or time with work left (softnet_stat column 3, all CPUs).</summary>
    public long? SoftnetTimeSqueeze { get; init; }
    /// <summary>rx_dropped of the adapters watched.</summary>
    public long? NicRxDropped { get; init; }
    /// <summary>rx_missed_errors of the adapters watched (the NIC's FIFO overflowed).</summary>
    public long? NicRxMissed { get; init; }
    /// <summary>TCP segments retransmitted (RetransSegs), this network namespace.</summary>
    public long? TcpRetransmits { get; init; }

    /// <summary>The mean clock over the CPUs, MHz; null when not exposed.</summary>
    public double? MeanMHz => CpuMHz is { Length: > 0 } mhz ? Average(mhz) : null;

    private static double Average(double[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }
}
