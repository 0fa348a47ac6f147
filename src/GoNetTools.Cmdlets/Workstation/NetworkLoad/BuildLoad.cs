using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Foundation.Processes;
using GoNetTools.GoModDownload;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation.NetworkLoad;

/// <summary>
/// The compile + download load: `go build -a std` over and over in a throwaway cache, and `go mod download` of a
/// lab GOPROXY's catalog over and over into a fresh module cache, each loop on its own thread, every go run through
/// <see cref="ChildProcess"/> in a process group of its own. Stopping (or the caller's Ctrl+C) kills the running go
/// and everything it started; nothing of the load outlives <see cref="Stop"/>.
/// </summary>
internal sealed class BuildLoad : IDisposable
{
    private readonly string _go;
    private readonly string _root;
    private readonly CancellationTokenSource _stop;
    private readonly List<Thread> _threads = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ChildProcess> _running = new();
    private readonly LoopCounts _compile = new();
    private readonly LoopCounts _download = new();

    public BuildLoad(string go, string root, CancellationToken cancel)
    {
        _go = go;
        _root = root;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    }

    /// <summary>go build -a std runs: started, finished, failed (not those the stop killed), and what the last failure said.</summary>
    public LoopCounts Compile => _compile;

    /// <summary>go mod download runs from the lab, counted the same way.</summary>
    public LoopCounts Download => _download;

    /// <summary>The go children running now.</summary>
    public int Running => _running.Count;

    /// <summary>Starts `go build -a std` in a loop.</summary>
    public void StartCompile()
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, "compile")).FullName;
        var spec = new ProcessSpec(_go, new[] { "build", "-a", "std" }) { Environment = GoSandbox.Environment(root), WorkingDirectory = root, OutputLimit = 1 << 16 };
        Loop("compile", _compile, () => spec);
    }

    /// <summary>Starts `go mod download` of <paramref name="modules"/> in a loop, with the lab's go environment on top of the sandbox.</summary>
    public void StartDownload(IReadOnlyList<string> modules, IDictionary labEnvironment)
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, "download")).FullName;
        var environment = GoSandbox.Environment(root);
        foreach (DictionaryEntry entry in labEnvironment)
        {
            environment[(string)entry.Key] = entry.Value as string;
        }
        var modCache = environment["GOMODCACHE"]!;
        Loop("download", _download, () =>
        {
            if (Directory.Exists(modCache))
            {
                Directory.Delete(modCache, recursive: true); // -modcacherw keeps it deletable
            }
            return new ProcessSpec(_go, new[] { "mod", "download" }.Concat(modules).ToArray()) { Environment = environment, WorkingDirectory = root, OutputLimit = 1 << 16 };
        });
    }

    /// <summary>Stops both loops: kills the running go process groups and waits for the threads.</summary>
    public void Stop()
    {
        _stop.Cancel();
        foreach (var child in _running.Values)
        {
            child.Kill();
        }
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(15));
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    /// <summary>Runs <paramref name="next"/>'s command until stopped, counting each run in <paramref name="counts"/>.</summary>
    private void Loop(string name, LoopCounts counts, Func<ProcessSpec> next)
    {
        var token = _stop.Token;
        var thread = new Thread(() =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    counts.CountStart();
                    using var child = ChildProcess.Start(next());
                    _running[child.Id] = child;
                    try
                    {
                        child.WaitForExit(Timeout.InfiniteTimeSpan, token);
                        counts.CountEnd(child.ExitCode == 0 ? null : $"exit code {child.ExitCode}: {ProcessOutput.Tail(child.StandardError + child.StandardOutput)}");
                    }
                    finally
                    {
                        _running.TryRemove(child.Id, out _);
                    }
                    if (child.ExitCode != 0)
                    {
                        token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)); // a failing command must not spin
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
                {
                    counts.CountEnd(e.Message);
                    token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                }
            }
        })
        { IsBackground = true, Name = "GoNetTools load " + name };
        _threads.Add(thread);
        thread.Start();
    }
}

/// <summary>The runs of one load loop, counted from its thread and read from the caller's.</summary>
internal sealed class LoopCounts
{
    private int _started;
    private int _finished;
    private int _failed;
    private string? _lastFailure;

    public int Started => Volatile.Read(ref _started);

    public int Finished => Volatile.Read(ref _finished);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>What the last failed run said (exit code and go's last lines), or null.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    public void CountStart() => Interlocked.Increment(ref _started);

    /// <summary>A run ended by itself: <paramref name="failure"/> is null for a success, else what went wrong.</summary>
    public void CountEnd(string? failure)
    {
        if (failure is null)
        {
            Interlocked.Increment(ref _finished);
            return;
        }
        Interlocked.Increment(ref _failed);
        Volatile.Write(ref _lastFailure, failure);
    }
}
