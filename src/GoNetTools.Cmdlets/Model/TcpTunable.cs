namespace GoNetTools;

/// <summary>One kernel/OS TCP tunable as it is now, with what the boot configuration and a profile say.</summary>
public sealed class TcpTunable
{
    /// <summary>Platform-neutral name (TimeWaitReuse, LocalPortRange, TimedWaitDelay, Msl...).</summary>
    public string Name { get; init; } = "";
    /// <summary>The OS's own name: sysctl key, registry value path or netsh setting.</summary>
    public string Key { get; init; } = "";
    /// <summary>Live value in canonical text ("1", "32768 60999"); null when absent.</summary>
    public string? Value { get; init; }
    /// <summary>Value, or what its absence means ("not set (OS default)", "not available on this kernel").</summary>
    public string ValueText { get; init; } = "";
    /// <summary>The OS default from the catalog; null when it depends on the machine (tcp_max_tw_buckets) or is "not set".</summary>
    public string? DefaultValue { get; init; }
    /// <summary>Unit of the value (s, ms), when it has one.</summary>
    public string? Unit { get; init; }
    /// <summary>With -Profile: the profile it was compared with.</summary>
    public string? Profile { get; init; }
    /// <summary>With -Profile: the value the profile wants (null: not set by the profile, or "remove" on Windows).</summary>
    public string? ProfileValue { get; init; }
    /// <summary>With -Profile: whether the profile sets this tunable at all.</summary>
    public bool InProfile { get; init; }
    /// <summary>With -Profile: Value equals ProfileValue (null when the profile does not set it).</summary>
    public bool? Compliant { get; init; }
    /// <summary>Why the profile sets that value.</summary>
    public string? ProfileRationale { get; init; }
    /// <summary>Which stack: "net:[inode] (name)" on Linux (every net.* tunable is per network namespace), "host" elsewhere.</summary>
    public string Scope { get; init; } = "";
    /// <summary>What the boot-time configuration will set (last assignment wins); null when nothing sets it.</summary>
    public string? Persisted { get; init; }
    /// <summary>Where that boot-time value comes from ("/etc/sysctl.d/90-gonettools.conf:3: ...").</summary>
    public string? PersistedSource { get; init; }
    /// <summary>A change takes effect only after a restart (Windows TcpTimedWaitDelay).</summary>
    public bool RequiresReboot { get; init; }
    /// <summary>GoNetTools reads but does not write it.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>The fact: what the tunable really does.</summary>
    public string Description { get; init; } = "";
    /// <summary>Where that fact is documented.</summary>
    public string Source { get; init; } = "";
}
