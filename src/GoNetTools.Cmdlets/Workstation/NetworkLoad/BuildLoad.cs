using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Core.Processes;
using GoNetTools.GoModDownload;

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
    private int _compileStarted;
    private int _compileFinished;
    private int _downloadFinished;
    private int _downloadFailed;

    public BuildLoad(string go, string root, CancellationToken cancel)
    {
        _go = go;
        _root = root;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    }

    public int CompileStarted => Volatile.Read(ref _compileStarted);

    public int CompileFinished => Volatile.Read(ref _compileFinished);

    public int DownloadFinished => Volatile.Read(ref _downloadFinished);

    public int DownloadFailed => Volatile.Read(ref _downloadFailed);

    /// <summary>The go children running now.</summary>
    public int Running => _running.Count;

    /// <summary>Starts `go build -a std` in a loop.</summary>
    public void StartCompile()
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, "compile")).FullName;
        var spec = new ProcessSpec(_go, new[] { "build", "-a", "std" }) { Environment = GoSandbox.Environment(root), WorkingDirectory = root, OutputLimit = 1 << 16 };
        Loop("compile", () =>
        {
            Interlocked.Increment(ref _compileStarted);
            return spec;
        }, ok =>
        {
            if (ok)
            {
                Interlocked.Increment(ref _compileFinished);
            }
        });
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
        Loop("download", () =>
        {
            if (Directory.Exists(modCache))
            {
                Directory.Delete(modCache, recursive: true); // -modcacherw keeps it deletable
            }
            return new ProcessSpec(_go, new[] { "mod", "download" }.Concat(modules).ToArray()) { Environment = environment, WorkingDirectory = root, OutputLimit = 1 << 16 };
        }, ok =>
        {
            if (ok)
            {
                Interlocked.Increment(ref _downloadFinished);
            }
            else
            {
                Interlocked.Increment(ref _downloadFailed);
            }
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

    private void Loop(string name, Func<ProcessSpec> next, Action<bool> finished)
    {
        var token = _stop.Token;
        var thread = new Thread(() =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    using var child = ChildProcess.Start(next());
                    _running[child.Id] = child;
                    try
                    {
                        child.WaitForExit(Timeout.InfiniteTimeSpan, token);
                        finished(child.ExitCode == 0);
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
                    finished(false);
                    token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                }
            }
        })
        { IsBackground = true, Name = "GoNetTools load " + name };
        _threads.Add(thread);
        thread.Start();
    }
}
