using System;
using System.Net;

namespace GoNetTools.GoProxy;

/// <summary>Everything one stability run needs; the cmdlet fills it from its parameters.</summary>
internal sealed class StabilityOptions
{
    public required Uri Proxy { get; init; }
    public required GoModule[] Modules { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public int Concurrency { get; init; } = Environment.ProcessorCount;
    public bool Http11 { get; init; }
    /// <summary>Go's http.DefaultMaxIdleConnsPerHost.</summary>
    public int MaxIdleConnectionsPerHost { get; init; } = 2;
    public bool SkipCertificateCheck { get; init; }
    /// <summary>A PEM CA file to trust instead of the system store (the lab's CertificatePath).</summary>
    public string? TrustedRootPath { get; init; }
    public IPAddress? BindAddress { get; init; }
    public string SystemRoot { get; init; } = "/";
    public bool KeepConnectionRecords { get; init; }
}

/// <summary>What the pipeline thread shows while the run goes on.</summary>
internal readonly record struct StabilityProgress(TimeSpan Elapsed, int Requests, int Failures, int Connections, int TimeWait, string Phase);
