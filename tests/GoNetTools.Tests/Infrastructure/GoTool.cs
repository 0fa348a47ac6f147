using System;
using System.Collections;
using System.Diagnostics;
using System.IO;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// Runs the real `go` tool (Debian's golang-go, installed by scripts/setup.sh) with a clean environment: only
/// what the caller gives (a lab's GoEnvironment) plus PATH and a private HOME, GOPATH, GOMODCACHE and GOCACHE
/// under a temporary directory, so nothing from the machine's Go setup leaks in.
/// </summary>
public sealed class GoTool : IDisposable
{
    public GoTool()
    {
        Requires.Tool("go", "apt-get install golang-go");
        Root = Directory.CreateTempSubdirectory("gnt-go-").FullName;
        ModCache = Path.Combine(Root, "gopath", "pkg", "mod");
    }

    public string Root { get; }
    public string ModCache { get; }

    /// <summary>Runs go; inside <paramref name="ns"/> (ip netns exec, which keeps the environment) when given.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(string arguments, IDictionary goEnvironment, string? workingDirectory = null, int timeoutMs = 120_000,
        NetNamespace? ns = null)
    {
        var start = new ProcessStartInfo(ns is null ? "go" : "ip", ns is null ? arguments : $"netns exec {ns.Name} go {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/go/bin";
        start.Environment["HOME"] = Root;
        start.Environment["GOPATH"] = Path.Combine(Root, "gopath");
        start.Environment["GOMODCACHE"] = ModCache;
        start.Environment["GOCACHE"] = Path.Combine(Root, "gocache");
        foreach (DictionaryEntry e in goEnvironment)
        {
            start.Environment[(string)e.Key] = (string?)e.Value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start go (apt-get install golang-go)");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"go {arguments} did not finish in {timeoutMs} ms");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
