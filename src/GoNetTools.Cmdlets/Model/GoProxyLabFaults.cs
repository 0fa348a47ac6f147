using System;
using System.Collections.Generic;
using System.Globalization;

namespace GoNetTools;

/// <summary>The faults a lab GOPROXY injects; all zero/false is a healthy lab.</summary>
public sealed class GoProxyLabFaults
{
    /// <summary>Only HTTP/1.1 is offered (no h2 in ALPN, no h2c).</summary>
    public bool Http1Only { get; init; }
    /// <summary>HTTP/1.1: "Connection: close" on the Nth request of each connection; HTTP/2: a graceful GOAWAY after the Nth stream. 0 = off.</summary>
    public int CloseAfterRequests { get; init; }
    /// <summary>A graceful GOAWAY (NO_ERROR, last stream = the Nth) after N streams on a connection, like nginx's request budget. 0 = off.</summary>
    public int GoAwayAfterStreams { get; init; }
    /// <summary>Percentage of requests answered with RST_STREAM INTERNAL_ERROR (HTTP/1.1: the connection is dropped), spread evenly.</summary>
    public double ResetStreamPercent { get; init; }
    /// <summary>Delay before each response.</summary>
    public TimeSpan Latency { get; init; }
    /// <summary>Delay before the server reads the TLS ClientHello (cleartext: before it reads the request).</summary>
    public TimeSpan HandshakeDelay { get; init; }
    /// <summary>HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS the server advertises; 0 = Kestrel's default (100).</summary>
    public int MaxConcurrentStreams { get; init; }

    /// <summary>Every Nth request is answered 429 Too Many Requests with Retry-After (whole seconds of <see cref="RetryAfter"/>). 0 = off.</summary>
    public int TooManyRequestsEvery { get; init; }
    /// <summary>The Retry-After the 429 answers carry (rounded up to whole seconds).</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>After N requests (lab-wide, once), every open connection is closed gracefully, as a reload does (HTTP/2: GOAWAY 2^31−1, then the real last stream). 0 = off.</summary>
    public int ReloadAfterRequests { get; init; }

    /// <summary>True when no fault is set.</summary>
    public bool IsHealthy => ToString() == "None";

    /// <summary>"None", or the faults set as "Name=value" pairs.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Http1Only) parts.Add("Http1Only");
        if (CloseAfterRequests > 0) parts.Add(Invariant($"CloseAfterRequests={CloseAfterRequests}"));
        if (GoAwayAfterStreams > 0) parts.Add(Invariant($"GoAwayAfterStreams={GoAwayAfterStreams}"));
        if (ResetStreamPercent > 0) parts.Add(Invariant($"ResetStreamPercent={ResetStreamPercent}"));
        if (Latency > TimeSpan.Zero) parts.Add(Invariant($"Latency={Latency.TotalMilliseconds}ms"));
        if (HandshakeDelay > TimeSpan.Zero) parts.Add(Invariant($"HandshakeDelay={HandshakeDelay.TotalMilliseconds}ms"));
        if (MaxConcurrentStreams > 0) parts.Add(Invariant($"MaxConcurrentStreams={MaxConcurrentStreams}"));
        if (TooManyRequestsEvery > 0) parts.Add(Invariant($"TooManyRequestsEvery={TooManyRequestsEvery} (RetryAfter={RetryAfter.TotalSeconds}s)"));
        if (ReloadAfterRequests > 0) parts.Add(Invariant($"ReloadAfterRequests={ReloadAfterRequests}"));
        return parts.Count == 0 ? "None" : string.Join(", ", parts);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
