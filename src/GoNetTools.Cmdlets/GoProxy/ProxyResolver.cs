using System;
using System.Diagnostics;

namespace GoNetTools.GoProxy;

/// <summary>
/// Which GOPROXY to test when -Proxy is not given: the first URL in $env:GOPROXY (entries are separated by ','
/// or '|'; "direct" and "off" are not URLs), else `go env GOPROXY`, else https://proxy.golang.org (Go's default).
/// </summary>
internal static class ProxyResolver
{
    public const string GoDefault = "https://proxy.golang.org";

    public static (Uri Proxy, string Source) Resolve(string? environmentValue, Func<string?> goEnv)
    {
        if (FirstUrl(environmentValue) is { } fromEnv)
        {
            return (fromEnv, "$env:GOPROXY");
        }
        if (FirstUrl(goEnv()) is { } fromGo)
        {
            return (fromGo, "go env GOPROXY");
        }
        return (new Uri(GoDefault), "Go's default");
    }

    public static Uri? FirstUrl(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }
        foreach (var entry in list.Split(new[] { ',', '|' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParseProxy(entry, out var uri))
            {
                return uri;
            }
        }
        return null;
    }

    /// <summary>An absolute http or https URL; the trailing slash is dropped (module paths are appended).</summary>
    public static bool TryParseProxy(string text, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }
        uri = new Uri(parsed.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        return true;
    }

    /// <summary>Runs `go env GOPROXY` (5 s at most); null when go is missing or says nothing.</summary>
    public static string? GoEnv()
    {
        try
        {
            var start = new ProcessStartInfo("go", "env GOPROXY") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return output.Result.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
