using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using GoNetTools.Core.Files;

namespace GoNetTools.GoModDownload;

/// <summary>
/// One `go mod download -x` in a throw-away workspace (<see cref="GoSandbox"/>: HOME, GOPATH, GOMODCACHE, GOCACHE under a
/// folder inside the caller's private directory, deleted by Dispose), the caller's environment otherwise, then the proxy settings given. Stderr lines
/// are queued for the pipeline thread to read; Kill ends go and its children (Ctrl+C).
/// </summary>
internal sealed class GoDownloadProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private GoDownloadProcess(Process process, string root)
    {
        _process = process;
        Root = root;
    }

    public string Root { get; }

    /// <summary>Lines go wrote to stderr, in order.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>go's exit code once it exited; -1 while running or when it was killed.</summary>
    public int ExitCode { get; private set; } = -1;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Creates the workspace and starts go. <paramref name="goMod"/> (a go.mod file, copied with its go.sum) makes the
    /// workspace a module and downloads its requirements; otherwise the modules are named on the command line.
    /// </summary>
    public static GoDownloadProcess Start(string go, IReadOnlyList<string> modules, string? goMod, IDictionary environment, string workspace)
    {
        var root = workspace;
        Directory.CreateDirectory(root);
        try
        {
            var work = Path.Combine(root, "work");
            Directory.CreateDirectory(work);
            if (goMod is not null)
            {
                CopyRegular(goMod, Path.Combine(work, "go.mod"));
                var sum = Path.Combine(Path.GetDirectoryName(goMod) ?? ".", "go.sum");
                if (File.Exists(sum))
                {
                    CopyRegular(sum, Path.Combine(work, "go.sum"));
                }
            }
            var start = new ProcessStartInfo(go)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = work,
            };
            foreach (var a in new[] { "mod", "download", "-x" })
            {
                start.ArgumentList.Add(a);
            }
            foreach (var m in modules)
            {
                start.ArgumentList.Add(m);
            }
            var env = start.Environment;
            foreach (var (name, value) in GoSandbox.Environment(root))
            {
                env[name] = value;
            }
            env["GOFLAGS"] = "-mod=mod -modcacherw";
            env.Remove("GOWORK");
            foreach (DictionaryEntry e in environment)
            {
                env[(string)e.Key] = e.Value as string;
            }
            var process = new Process { StartInfo = start };
            var run = new GoDownloadProcess(process, root);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    run.Lines.Enqueue(e.Data);
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.Start();
            process.StandardInput.Close();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            return run;
        }
        catch
        {
            DeleteTree(root);
            throw;
        }
    }

    /// <summary>Copies a file we were given (a FIFO or device is refused, never opened blocking) into the workspace.</summary>
    private static void CopyRegular(string from, string to)
    {
        using var source = RegularFile.OpenRead(from, 4096);
        using var target = new FileStream(to, FileMode.CreateNew, FileAccess.Write);
        source.CopyTo(target);
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for go to exit; true when it has (output drained).</summary>
    public bool WaitForExit(int milliseconds)
    {
        if (!_process.WaitForExit(milliseconds))
        {
            return false;
        }
        _process.WaitForExit(); // drains the redirected streams
        Elapsed = _clock.Elapsed;
        ExitCode = _process.ExitCode;
        return true;
    }

    /// <summary>Kills go and whatever it started, and waits for it.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Elapsed = _clock.Elapsed;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
        DeleteTree(Root);
    }

    private static void DeleteTree(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp directory (-modcacherw keeps the cache deletable).
        }
    }
}
