using System;

namespace GoNetTools;

/// <summary>One variant of a Test-GoProxyStability -Compare run (HTTP/2 or HTTP/1.1, at a concurrency), its key figures side by side.</summary>
public sealed class GoProxyComparisonVariant
{
    /// <summary>"HTTP/2 ×2" — the protocol asked for and the parallel fetches.</summary>
    public string Name { get; init; } = "";
    /// <summary>"2" or "1.1" (as GODEBUG=http2client=0).</summary>
    public string HttpVersion { get; init; } = "";
    /// <summary>Parallel fetches.</summary>
    public int Concurrency { get; init; }
    /// <summary>This variant's verdict, Http1Fallback left out (HTTP/1.1 was asked for; its costs have findings of their own).</summary>
    public StabilityVerdict Verdict { get; init; }
    /// <summary>True for the healthier variant.</summary>
    public bool Healthier { get; init; }
    /// <summary>Rounds (cold downloads) completed.</summary>
    public int Rounds { get; init; }
    /// <summary>Median time of one cold download of the module set.</summary>
    public TimeSpan? RoundDurationP50 { get; init; }
    /// <summary>Requests judged.</summary>
    public int Requests { get; init; }
    /// <summary>Requests that failed.</summary>
    public int Failures { get; init; }
    /// <summary>Failures ÷ requests.</summary>
    public double FailureShare { get; init; }
    /// <summary>Requests sent again after GOAWAY/REFUSED_STREAM.</summary>
    public int Retries { get; init; }
    /// <summary>TCP connections opened.</summary>
    public int Connections { get; init; }
    /// <summary>Responses per connection that carried one.</summary>
    public double ReuseRatio { get; init; }
    /// <summary>New connections per second.</summary>
    public double ConnectionsPerSecond { get; init; }
    /// <summary>Peak TIME_WAIT sockets of our connections.</summary>
    public int TimeWaitPeak { get; init; }
    /// <summary>TLS handshakes made.</summary>
    public int TlsHandshakes { get; init; }
    /// <summary>95th percentile request latency.</summary>
    public TimeSpan LatencyP95 { get; init; }
    /// <summary>Codes of the Warning and Error findings ("ConnectionChurn, Http1Fallback").</summary>
    public string Problems { get; init; } = "";

    /// <summary>"HTTP/2 ×2 Stable".</summary>
    public override string ToString() => $"{Name} {Verdict}";
}

/// <summary>Test-GoProxyStability -Compare: the same replay as HTTP/2 and as HTTP/1.1 (and at another concurrency), and which is healthier.</summary>
public sealed class GoProxyComparison
{
    /// <summary>The proxy tested.</summary>
    public string Proxy { get; init; } = "";
    /// <summary>Name of the healthier variant, or "neither" when they are equal on every figure compared.</summary>
    public string Healthier { get; init; } = "";
    /// <summary>The figure that decided, with both values.</summary>
    public string Reason { get; init; } = "";
    /// <summary>The variants' key figures, side by side (primitive: survives remoting).</summary>
    public GoProxyComparisonVariant[] Variants { get; init; } = Array.Empty<GoProxyComparisonVariant>();
    /// <summary>The full result of each variant, in the same order.</summary>
    public GoProxyStabilityResult[] Results { get; init; } = Array.Empty<GoProxyStabilityResult>();

    /// <summary>"Healthier: HTTP/2 ×2 (reason)".</summary>
    public override string ToString() => $"Healthier: {Healthier} ({Reason})";
}
