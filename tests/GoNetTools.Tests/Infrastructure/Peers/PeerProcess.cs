using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// A real server process a test started (nginx's master, the Go peer), optionally inside a network namespace
/// (`ip netns exec` execs the server, so the pid is the server's). Signals go to the process and its descendants
/// (nginx serves from worker processes), always by pid. Dispose thaws and kills whatever is left.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    public const int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGUSR1 = 10, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _lines = new();
    private bool _disposed;

    private PeerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static PeerProcess Start(string file, IEnumerable<string> arguments, NetNamespace? ns = null)
    {
        var start = new ProcessStartInfo(ns is null ? file : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (ns is not null)
        {
            foreach (var a in new[] { "netns", "exec", ns.Name, file })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        return new PeerProcess(process);
    }

    /// <summary>Waits for an output line starting with <paramref name="prefix"/>; null when the process exits first or time runs out.</summary>
    public string? WaitForLine(string prefix, TimeSpan timeout) => WaitForLine(l => l.StartsWith(prefix, StringComparison.Ordinal), timeout);

    /// <summary>Waits for an output line that matches; null when the process exits first or time runs out.</summary>
    public string? WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_output)
            {
                var line = _lines.FirstOrDefault(match);
                if (line is not null)
                {
                    return line;
                }
            }
            if (_process.HasExited)
            {
                return null;
            }
            Thread.Sleep(20);
        }
        return null;
    }

    /// <summary>Waits for the process to exit and its output to be read to the end.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit(); // drains the redirected output
        return true;
    }

    /// <summary>Sends a signal to the process and to every descendant it has now.</summary>
    public void Signal(int signal)
    {
        foreach (var pid in Tree(Id))
        {
            _ = kill(pid, signal); // ESRCH: already gone
        }
    }

    /// <summary>SIGSTOP: the kernel still completes TCP handshakes into the listen backlog, nothing answers.</summary>
    public void Freeze() => Signal(SIGSTOP);

    public void Thaw() => Signal(SIGCONT);

    /// <summary>SIGKILL to the process and its descendants (a dead server: connects are refused), then waits.</summary>
    public void Kill()
    {
        var tree = Tree(Id);
        foreach (var pid in tree)
        {
            _ = kill(pid, SIGKILL);
        }
        _process.WaitForExit(10_000);
        foreach (var pid in tree.Skip(1))
        {
            WaitGone(pid, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The pids of <paramref name="pid"/>'s children (from /proc/PID/task/*/children).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                children.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return children;
    }

    /// <summary>The process first, then its descendants, breadth first.</summary>
    public static List<int> Tree(int pid)
    {
        var all = new List<int> { pid };
        for (var i = 0; i < all.Count; i++)
        {
            all.AddRange(Children(all[i]).Where(c => !all.Contains(c)));
        }
        return all;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            Signal(SIGCONT);
            Kill();
        }
        _process.Dispose();
    }

    private static void WaitGone(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add(line);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
