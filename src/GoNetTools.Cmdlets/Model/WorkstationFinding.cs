using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>Which part of the machine a workstation finding or gap is about.</summary>
public enum WorkstationArea
{
    /// <summary>Processor: model, clocks, governor, throttling, temperature.</summary>
    Cpu,
    /// <summary>Memory and swap.</summary>
    Memory,
    /// <summary>The storage behind GOCACHE and GOMODCACHE.</summary>
    Storage,
    /// <summary>Network adapters: PCIe link, NUMA placement of interrupts, RSS queues.</summary>
    Nic,
    /// <summary>Firmware updates as fwupd sees them.</summary>
    Firmware,
    /// <summary>The cold go build figures (Measure-GoBuild).</summary>
    Build,
}

/// <summary>The overall answer of Test-GoWorkstation, from its most severe finding.</summary>
public enum WorkstationVerdict
{
    /// <summary>No Warning or Error finding.</summary>
    Fit,
    /// <summary>At least one Warning, no Error: Go work runs, something holds it back.</summary>
    Limited,
    /// <summary>At least one Error: something will fail or stall Go work.</summary>
    Unfit,
}

/// <summary>One rule of thumb that fired on this machine: what was measured, the fact behind the rule, and what helps.</summary>
public sealed class WorkstationFinding
{
    /// <summary>The part of the machine.</summary>
    public WorkstationArea Area { get; init; }
    /// <summary>Stable code (ThrottlingSeen, MemoryBelowFloor, StorageEmmc, StorageLowFree, PcieLinkDowngraded, NicIrqOffNode…).</summary>
    public string Code { get; init; } = "";
    /// <summary>Info, Warning or Error.</summary>
    public FindingSeverity Severity { get; init; }
    /// <summary>What it is about: a CPU, "GOCACHE", an adapter name, a firmware device.</summary>
    public string Subject { get; init; } = "";
    /// <summary>What was seen, with the measured figure.</summary>
    public string Message { get; init; } = "";
    /// <summary>The measured figures and where they were read, by name.</summary>
    public OrderedDictionary Evidence { get; init; } = new();
    /// <summary>The rule of thumb (named as such) or the fact behind the finding.</summary>
    public string Rule { get; init; } = "";
    /// <summary>What to do about it.</summary>
    public string Recommendation { get; init; } = "";

    /// <summary>"Warning StorageEmmc: …".</summary>
    public override string ToString() => $"{Severity} {Code}: {Message}";
}

/// <summary>Something this machine does not expose (a VM without cpufreq, a virtio NIC without a PCIe link), and why: never guessed.</summary>
public sealed class WorkstationGap
{
    /// <summary>The part of the machine.</summary>
    public WorkstationArea Area { get; init; }
    /// <summary>What is not known ("CPU frequency", "PCIe link of eth0").</summary>
    public string Item { get; init; } = "";
    /// <summary>Why it is not exposed here.</summary>
    public string Reason { get; init; } = "";

    /// <summary>"CPU frequency: not exposed here (…)".</summary>
    public override string ToString() => $"{Item}: not exposed here ({Reason})";
}
