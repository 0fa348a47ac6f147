using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.GoModDownload;

/// <summary>
/// One `go mod download -x` in a throw-away workspace (<see cref="GoSandbox"/>: HOME, GOPATH, GOMODCACHE, GOCACHE under a
/// folder inside the caller's private directory, deleted by Dispose), the caller's environment otherwise, then the proxy
/// settings given. Run with Core/Processes (the one runner: its own process group, stdin from /dev/null); stderr lines
/// are queued for the pipeline thread to read; Kill ends go and its children (Ctrl+C).
/// </summary>
internal sealed class GoDownloadProcess : IDisposable
{
    /// <summary>go's output is heard line by line; only this much of it is also kept.</summary>
    private const int KeptOutput = 64 << 10;

    private readonly ChildProcess _process;

    private GoDownloadProcess(ChildProcess process, string root, ConcurrentQueue<string> lines)
    {
        _process = process;
        Root = root;
        Lines = lines;
    }

    public string Root { get; }

    /// <summary>Lines go wrote to stderr, in order.</summary>
    public ConcurrentQueue<string> Lines { get; }

    /// <summary>go's exit code once it exited; -1 while running or when it was killed.</summary>
    public int ExitCode { get; private set; } = -1;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Creates the workspace and starts go. <paramref name="goMod"/> (a go.mod file, copied with its go.sum) makes the
    /// workspace a module and downloads its requirements; otherwise the modules are named on the command line.
    /// Throws Win32Exception when go cannot be started.
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
            var arguments = new List<string> { "mod", "download", "-x" };
            arguments.AddRange(modules);
            var env = GoSandbox.Environment(root);
            env["GOFLAGS"] = "-mod=mod -modcacherw";
            env["GOWORK"] = null;
            foreach (DictionaryEntry e in environment)
            {
                env[(string)e.Key] = e.Value as string;
            }
            var lines = new ConcurrentQueue<string>();
            var spec = new ProcessSpec(go, arguments)
            {
                Environment = env,
                WorkingDirectory = work,
                OutputLimit = KeptOutput,
                StandardErrorLine = lines.Enqueue,
            };
            ChildProcess child;
            try
            {
                child = ChildProcess.Start(spec);
            }
            catch (FileNotFoundException e)
            {
                throw new System.ComponentModel.Win32Exception(2, e.Message);
            }
            return new GoDownloadProcess(child, root, lines);
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
        if (!_process.WaitForExit(TimeSpan.FromMilliseconds(milliseconds), CancellationToken.None))
        {
            return false;
        }
        Elapsed = _process.Elapsed;
        ExitCode = _process.Killed ? -1 : _process.ExitCode;
        return true;
    }

    /// <summary>Kills go and whatever it started, and waits for it.</summary>
    public void Kill()
    {
        _process.Kill();
        Elapsed = _process.Elapsed;
    }

    public void Dispose()
    {
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
