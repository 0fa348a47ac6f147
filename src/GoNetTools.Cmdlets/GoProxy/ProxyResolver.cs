using System;
using System.IO;
using System.Threading;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// Which GOPROXY to test when -Proxy is not given: $env:GOPROXY, else `go env GOPROXY`, else https://proxy.golang.org
/// (Go's default), each parsed as a GOPROXY list by <see cref="GoProxyList"/>. A value that names no proxy URL
/// ("direct", "off") is passed over with the reason.
/// </summary>
internal static class ProxyResolver
{
    public const string GoDefault = "https://proxy.golang.org";

    /// <summary>The list to test and where it came from; <paramref name="skipped"/> hears about values that could not be used.</summary>
    public static (GoProxyList Proxy, string Source) Resolve(string? environmentValue, Func<string?> goEnv, Action<string>? skipped = null)
    {
        if (Usable(environmentValue, "$env:GOPROXY", skipped) is { } fromEnv)
        {
            return (fromEnv, "$env:GOPROXY");
        }
        if (Usable(goEnv(), "go env GOPROXY", skipped) is { } fromGo)
        {
            return (fromGo, "go env GOPROXY");
        }
        return (GoProxyList.Parse(GoDefault), "Go's default");
    }

    private static GoProxyList? Usable(string? value, string source, Action<string>? skipped)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!GoProxyList.TryParse(value, out var list, out var problem))
        {
            skipped?.Invoke($"{source} ('{value}') is not used: {problem}.");
            return null;
        }
        if (list.FirstUrl is null)
        {
            skipped?.Invoke($"{source} ('{value}') names no proxy URL to test.");
            return null;
        }
        return list;
    }

    /// <summary>Runs `go env GOPROXY` (5 s at most, with Core/Processes, the one runner); null when go is missing or says nothing.</summary>
    public static string? GoEnv()
    {
        try
        {
            var result = ChildProcess.Run(new ProcessSpec("go", new[] { "env", "GOPROXY" }), TimeSpan.FromSeconds(5), CancellationToken.None);
            return result.TimedOut ? null : result.StandardOutput.Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return null;
        }
    }
}
