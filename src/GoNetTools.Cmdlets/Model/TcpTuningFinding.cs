namespace GoNetTools;

/// <summary>How much a finding matters.</summary>
public enum TuningFindingSeverity
{
    /// <summary>Worth knowing.</summary>
    Info,
    /// <summary>Differs from what it should be, or does not do what it was set for.</summary>
    Warning,
    /// <summary>Harmful or broken configuration.</summary>
    Error,
}

/// <summary>One problem Test-TcpTuning found, with the evidence that shows it.</summary>
public sealed class TcpTuningFinding
{
    /// <summary>Stable rule id: ProfileMismatch, ReuseWithoutTimestamps, RecycleConfigured, MaxTimeWaitBucketsLowered,
    /// PortRangeParity, PortRangeBelow1024, PersistedDrift.</summary>
    public string Rule { get; init; } = "";
    /// <summary>How much it matters.</summary>
    public TuningFindingSeverity Severity { get; init; }
    /// <summary>Tunable name (or the key, for tcp_tw_recycle which is not a tunable any more).</summary>
    public string Name { get; init; } = "";
    /// <summary>The OS key.</summary>
    public string Key { get; init; } = "";
    /// <summary>What is wrong, in one sentence.</summary>
    public string Message { get; init; } = "";
    /// <summary>The values or file lines that show it.</summary>
    public string Evidence { get; init; } = "";
    /// <summary>What to do.</summary>
    public string Recommendation { get; init; } = "";
    /// <summary>Documentation behind the rule.</summary>
    public string Source { get; init; } = "";
    /// <summary>Which stack was examined.</summary>
    public string Scope { get; init; } = "";
}
