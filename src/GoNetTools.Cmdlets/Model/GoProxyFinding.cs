using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>How much a finding matters. Any Error makes the verdict Unstable, any Warning Degraded.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; not a problem (GOAWAY NO_ERROR after a stream budget).</summary>
    Info = 0,
    /// <summary>Slows downloads or will fail under more load.</summary>
    Warning = 1,
    /// <summary>Downloads fail now.</summary>
    Error = 2,
}

/// <summary>The overall answer of Test-GoProxyStability.</summary>
public enum StabilityVerdict
{
    /// <summary>No Warning or Error finding.</summary>
    Stable,
    /// <summary>At least one Warning finding, no Error.</summary>
    Degraded,
    /// <summary>At least one Error finding.</summary>
    Unstable,
}

/// <summary>One rule that fired: what was seen, the figures that prove it, and what helps.</summary>
public sealed class GoProxyFinding
{
    /// <summary>Stable code (ConnectionChurn, TimeWaitGrowth, PortExhaustionRisk, Http1Fallback, GoAwayBudget, GoAwayError, StreamResets, TlsHandshakeSlow, RequestFailures, Retransmissions).</summary>
    public string Code { get; init; } = "";
    /// <summary>Info, Warning or Error.</summary>
    public FindingSeverity Severity { get; init; }
    /// <summary>What was seen, in one sentence.</summary>
    public string Message { get; init; } = "";
    /// <summary>The measured figures behind the finding, by name.</summary>
    public OrderedDictionary Evidence { get; init; } = new();
    /// <summary>The cmdlet or setting that helps.</summary>
    public string Recommendation { get; init; } = "";
    /// <summary>The rule's threshold and the fact behind it.</summary>
    public string Rule { get; init; } = "";

    /// <summary>"Severity Code: message".</summary>
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
