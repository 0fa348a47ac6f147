using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// A network namespace a test makes (ip netns add) and removes. Tunables, sockets and /proc/net inside it are
/// its own, so tests never touch the host's. Needs root and iproute2 (the test command installs it).
/// </summary>
public sealed class NetNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    static NetNamespace() => SweepOrphans();

    public NetNamespace(string prefix = "gnt")
    {
        Requires.Root();
        Requires.Tool("ip", "apt-get install iproute2");
        Name = $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Shell.Run("ip", $"netns add {Name}");
        Exec("ip link set lo up");
    }

    public string Name { get; }

    /// <summary>/run/netns/&lt;name&gt;, the bind mount that keeps the namespace alive.</summary>
    public string Path => $"/run/netns/{Name}";

    /// <summary>Runs a command inside the namespace; throws on a non-zero exit.</summary>
    public string Exec(string commandLine, int timeoutMs = 60_000) =>
        Shell.Run("ip", $"netns exec {Name} {commandLine}", timeoutMs);

    /// <summary>Runs a command inside the namespace; returns exit code and output without throwing.</summary>
    public (int ExitCode, string Stdout, string Stderr) TryExec(string commandLine, int timeoutMs = 60_000) =>
        Shell.TryRun("ip", $"netns exec {Name} {commandLine}", timeoutMs);

    /// <summary>
    /// Runs <paramref name="action"/> on a thread that has joined the namespace (setns is per thread).
    /// Sockets created there belong to the namespace for life, whichever thread uses them later.
    /// </summary>
    public T Inside<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle(Path);
                if (setns(ns.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException($"setns({Path}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("Action inside " + Name + " failed: " + failure.Message, failure);
        }
        return result;
    }

    public void Dispose() => Shell.TryRun("ip", $"netns delete {Name}");

    /// <summary>
    /// Deletes namespaces left by test runs that were killed before Dispose ("prefix-PID-id" whose PID is gone),
    /// so an aborted run never leaves state behind for the next one.
    /// </summary>
    private static void SweepOrphans()
    {
        if (!Directory.Exists("/run/netns"))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles("/run/netns", "gnt*"))
        {
            var parts = System.IO.Path.GetFileName(file).Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], out int pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Shell.TryRun("ip", $"netns delete {System.IO.Path.GetFileName(file)}");
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}

/// <summary>Runs OS commands for tests (ip, ss, nstat, sysctl, tshark…).</summary>
public static class Shell
{
    public static string Run(string file, string arguments, int timeoutMs = 60_000)
    {
        var (code, stdout, stderr) = TryRun(file, arguments, timeoutMs);
        if (code != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' exited {code}: {stderr.Trim()}");
        }
        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string file, string arguments, int timeoutMs = 60_000,
        System.Collections.Generic.IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                start.Environment[k] = v;
            }
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish in {timeoutMs} ms");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
