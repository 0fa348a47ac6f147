using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace GoNetTools.GoProxy;

/// <summary>How to start a lab: content, listener and faults; turned into the lab's command line.</summary>
internal sealed class GoProxyLabOptions
{
    /// <summary>Start-GoProxyLab's default number of synthetic modules.</summary>
    public const int DefaultSyntheticModules = 8;

    public string Address { get; init; } = "127.0.0.1";
    public int Port { get; init; }
    public bool Cleartext { get; init; }
    public string? ModuleRoot { get; init; }
    public int? SyntheticModules { get; init; }
    public int SyntheticVersions { get; init; } = 2;
    public int SyntheticModuleSize { get; init; } = 16 * 1024;
    public GoProxyLabFaults Faults { get; init; } = new();

    public IReadOnlyList<string> ToArguments()
    {
        var a = new List<string> { "--address", Address, "--port", Int(Port) };
        if (Cleartext) a.Add("--cleartext");
        if (ModuleRoot is not null) a.AddRange(new[] { "--module-root", ModuleRoot });
        if (SyntheticModules is int n) a.AddRange(new[] { "--synthetic-modules", Int(n) });
        a.AddRange(new[] { "--synthetic-versions", Int(SyntheticVersions), "--synthetic-size", Int(SyntheticModuleSize) });
        var f = Faults;
        if (f.Http1Only) a.Add("--http1-only");
        if (f.CloseAfterRequests > 0) a.AddRange(new[] { "--close-after-requests", Int(f.CloseAfterRequests) });
        if (f.GoAwayAfterStreams > 0) a.AddRange(new[] { "--goaway-after-streams", Int(f.GoAwayAfterStreams) });
        if (f.ResetStreamPercent > 0) a.AddRange(new[] { "--reset-stream-percent", f.ResetStreamPercent.ToString("R", CultureInfo.InvariantCulture) });
        if (f.Latency > TimeSpan.Zero) a.AddRange(new[] { "--latency", Ms(f.Latency) });
        if (f.HandshakeDelay > TimeSpan.Zero) a.AddRange(new[] { "--handshake-delay", Ms(f.HandshakeDelay) });
        if (f.MaxConcurrentStreams > 0) a.AddRange(new[] { "--max-concurrent-streams", Int(f.MaxConcurrentStreams) });
        if (f.TooManyRequestsEvery > 0) a.AddRange(new[] { "--too-many-requests-every", Int(f.TooManyRequestsEvery), "--retry-after", Ms(f.RetryAfter) });
        if (f.ReloadAfterRequests > 0) a.AddRange(new[] { "--reload-after-requests", Int(f.ReloadAfterRequests) });
        return a;
    }

    /// <summary>
    /// What `go mod download` needs to fetch from this lab and from nowhere else: the lab as the only GOPROXY (no
    /// ",direct" fallback), its CA for Go's TLS, no checksum database (the lab's modules are not in sum.golang.org),
    /// a module cache a test can delete (-modcacherw), -mod=mod so a go.mod without go.sum still resolves,
    /// GOTOOLCHAIN=local so a go directive never triggers a toolchain download, and GOENV=off so settings saved
    /// with `go env -w` (a GOPRIVATE=* there sends every module direct, around the lab) are not read.
    /// </summary>
    public static Hashtable GoEnvironment(string url, string? caPath)
    {
        var env = new Hashtable(StringComparer.Ordinal)
        {
            ["GOPROXY"] = url,
            ["GOSUMDB"] = "off",
            ["GOFLAGS"] = "-mod=mod -modcacherw",
            ["GOTOOLCHAIN"] = "local",
            ["GOENV"] = "off",
        };
        if (caPath is not null)
        {
            env["SSL_CERT_FILE"] = caPath;
        }
        return env;
    }

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
