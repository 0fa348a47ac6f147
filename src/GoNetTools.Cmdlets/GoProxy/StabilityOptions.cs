using System;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.GoProxy;

/// <summary>Everything one stability run needs; the cmdlet fills it from its parameters.</summary>
internal sealed record StabilityOptions
{
    /// <summary>The GOPROXY list (every request walks it, as cmd/go does); the first URL is the one measured.</summary>
    public required GoProxyList Proxy { get; init; }
    /// <summary>Modules named by -Module (or the lab's catalog, or the defaults).</summary>
    public required GoModule[] Modules { get; init; }
    /// <summary>-GoMod: the main module whose build list each round walks, or null.</summary>
    public GoModFile? GoMod { get; init; }
    /// <summary>Longest run; with -Rounds alone, up to a day.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Rounds to replay (null: as many as fit in Duration).</summary>
    public int? Rounds { get; init; }
    /// <summary>Pause between rounds (a developer running `go mod download` again).</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>-Stress: a load test (parallel fetches back to back on one warm client), no budget or rate cap.</summary>
    public bool Stress { get; init; }
    public int Concurrency { get; init; } = Environment.ProcessorCount;
    public bool Http11 { get; init; }
    /// <summary>Go's http.DefaultMaxIdleConnsPerHost.</summary>
    public int MaxIdleConnectionsPerHost { get; init; } = 2;
    public bool SkipCertificateCheck { get; init; }
    /// <summary>CA certificates to trust instead of the system store (SSL_CERT_FILE, a lab's CertificatePath).</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }
    public IPAddress? BindAddress { get; init; }
    public string SystemRoot { get; init; } = "/";
    public bool KeepConnectionRecords { get; init; }
    /// <summary>Every proxy URL is on this host (loopback, a local address) or a lab started for the run: no guest limits by default.</summary>
    public bool IsLocal { get; init; }
    /// <summary>-MaxRequests, when given (else the guest default for a proxy not on this host, none on this host).</summary>
    public int? MaxRequests { get; init; }
    /// <summary>-MaxRequestRate, when given.</summary>
    public double? MaxRequestRate { get; init; }
}

/// <summary>What the pipeline thread shows while the run goes on.</summary>
internal readonly record struct StabilityProgress(TimeSpan Elapsed, int Requests, int Failures, int Connections, int TimeWait, int Round, string Phase);
