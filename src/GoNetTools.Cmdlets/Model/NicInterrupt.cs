using System;

namespace GoNetTools;

/// <summary>
/// One interrupt line of a network adapter: where it fires (counts per CPU), where it may fire (affinity) and which
/// adapter queue it serves.
/// </summary>
public sealed class NicInterrupt
{
    /// <summary>IRQ number.</summary>
    public int Irq { get; init; }
    /// <summary>Adapter it belongs to; null when no adapter here claims it.</summary>
    public string? Adapter { get; init; }
    /// <summary>Queue number the driver named (eth0-TxRx-3 → 3); null for a device-wide interrupt.</summary>
    public int? Queue { get; init; }
    /// <summary>What the queue carries as the driver names it: TxRx, Rx, Tx, or null.</summary>
    public string? QueueType { get; init; }
    /// <summary>The action name /proc/interrupts shows (eth0-TxRx-3, mlx5_comp3@pci:0000:5e:00.0, virtio2-input.0).</summary>
    public string Name { get; init; } = "";
    /// <summary>Interrupt controller and trigger as /proc/interrupts shows them (IR-PCI-MSIX-0000:03:00.0 4-edge).</summary>
    public string? Controller { get; init; }
    /// <summary>Interrupts handled per CPU since boot, indexed by CPU number.</summary>
    public long[] CountsPerCpu { get; init; } = Array.Empty<long>();
    /// <summary>Sum of <see cref="CountsPerCpu"/>.</summary>
    public long Total { get; init; }
    /// <summary>CPUs allowed to handle it (smp_affinity_list).</summary>
    public int[] AffinityList { get; init; } = Array.Empty<int>();
    /// <summary>CPUs actually handling it (effective_affinity_list), when the kernel tells.</summary>
    public int[]? EffectiveAffinityList { get; init; }
    /// <summary>With -Interval: interrupts per second per CPU over the interval.</summary>
    public double[]? RatePerCpu { get; init; }
    /// <summary>With -Interval: interrupts per second over all CPUs.</summary>
    public double? Rate { get; init; }
    /// <summary>With -Interval: the interval measured.</summary>
    public TimeSpan? Interval { get; init; }
    /// <summary>The NUMA node of the adapter; null when unknown.</summary>
    public int? AdapterNumaNode { get; init; }
    /// <summary>The NUMA nodes of the CPUs the interrupt lands on (effective affinity, else affinity); null when unknown.</summary>
    public int[]? CpuNumaNodes { get; init; }
    /// <summary>True when some CPU the interrupt lands on is on another NUMA node than its adapter (each packet crosses the interconnect); null when unknown.</summary>
    public bool? OffNode { get; init; }

    /// <summary>"IRQ 42 eth0-TxRx-3".</summary>
    public override string ToString() => $"IRQ {Irq} {Name}";
}
