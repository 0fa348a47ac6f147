using System;

namespace GoNetTools;

/// <summary>Receive or transmit.</summary>
public enum NicQueueDirection
{
    /// <summary>Receive queue (RSS spreads flows over these; RPS steers them in software).</summary>
    Rx,
    /// <summary>Transmit queue (XPS picks one by the sending CPU).</summary>
    Tx,
}

/// <summary>
/// One hardware queue of an adapter with the CPUs that serve it: its interrupt and affinity, RPS (receive packet
/// steering) or XPS (transmit packet steering) CPU masks, its share of the RSS indirection table and its counters.
/// </summary>
public sealed class NicQueue
{
    /// <summary>Adapter name.</summary>
    public string Adapter { get; init; } = "";
    /// <summary>Rx or Tx.</summary>
    public NicQueueDirection Direction { get; init; }
    /// <summary>Queue number (rx-N / tx-N).</summary>
    public int Index { get; init; }
    /// <summary>The interrupt that serves this queue, when there is one (virtual adapters have none).</summary>
    public int? Irq { get; init; }
    /// <summary>CPUs that interrupt may run on (smp_affinity_list), e.g. "0-3"; Windows: the RSS processors, written "group:list" per processor group ("0:48,52; 1:0,4") when any lies beyond group 0.</summary>
    public string? IrqAffinity { get; init; }
    /// <summary>RPS CPU mask as the kernel shows it (queues/rx-N/rps_cpus, hex); null for Tx queues.</summary>
    public string? RpsMask { get; init; }
    /// <summary>CPUs in <see cref="RpsMask"/>; empty means RPS is off.</summary>
    public int[]? RpsCpus { get; init; }
    /// <summary>RFS flow table size for this queue (rps_flow_cnt).</summary>
    public int? RpsFlowCount { get; init; }
    /// <summary>XPS CPU mask as the kernel shows it (queues/tx-N/xps_cpus, hex); null for Rx queues.</summary>
    public string? XpsMask { get; init; }
    /// <summary>CPUs in <see cref="XpsMask"/>.</summary>
    public int[]? XpsCpus { get; init; }
    /// <summary>Share (0..1) of the RSS indirection table's entries that point at this queue; null without RSS.</summary>
    public double? IndirectionShare { get; init; }
    /// <summary>Packets through this queue, where the driver counts per queue.</summary>
    public ulong? Packets { get; init; }
    /// <summary>Bytes through this queue, where the driver counts per queue.</summary>
    public ulong? Bytes { get; init; }
    /// <summary>Drops on this queue, where the driver counts per queue.</summary>
    public ulong? Drops { get; init; }

    /// <summary>"eth0 rx-3".</summary>
    public override string ToString() => $"{Adapter} {Direction.ToString().ToLowerInvariant()}-{Index}";
}
