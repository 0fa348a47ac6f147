using System.Collections.Generic;

namespace GoNetTools.Platform;

/// <summary>
/// Network adapters, their queues and interrupts. One implementation per OS, chosen in
/// <see cref="PlatformServices.Nic"/>. Reads that a driver does not support give null, not an error.
/// </summary>
internal interface INicSource
{
    /// <summary>Which network stack this reads: the Linux network namespace, "host" elsewhere.</summary>
    string Scope { get; }

    /// <summary>Every adapter, in index order.</summary>
    IEnumerable<NicAdapter> GetAdapters();

    /// <summary>
    /// The adapter name the OS itself gives the alias "Wi-Fi" or "Ethernet" (macOS networksetup hardware ports), or
    /// null to let <see cref="AdapterLookup"/> apply the generic rule (first wireless / first wired physical up).
    /// </summary>
    string? AliasTarget(string alias);

    /// <summary>The adapter's queues, Rx first then Tx, each in index order.</summary>
    IEnumerable<NicQueue> GetQueues(NicAdapter adapter);

    /// <summary>Network-adapter interrupts, each mapped to its adapter and queue where the adapters here claim it.</summary>
    IReadOnlyList<NicInterrupt> GetInterrupts(IReadOnlyList<NicAdapter> adapters);

    /// <summary>CPUs that are online now.</summary>
    IReadOnlyList<int> OnlineCpus();

    /// <summary>What irqbalance does to <paramref name="irq"/>: null when irqbalance is not running.</summary>
    IrqBalanceStatus? IrqBalance(int irq);

    /// <summary>Writes the CPUs allowed to handle <paramref name="irq"/>. Callers validate the set first.</summary>
    void SetInterruptAffinity(int irq, IReadOnlyList<int> cpus);

    /// <summary>Writes a queue's RPS (Rx) or XPS (Tx) CPU set; an empty set turns steering off.</summary>
    void SetQueueCpus(NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus);
}

/// <summary>irqbalance's relation to one IRQ.</summary>
internal sealed record IrqBalanceStatus(int Pid, bool Banned);
