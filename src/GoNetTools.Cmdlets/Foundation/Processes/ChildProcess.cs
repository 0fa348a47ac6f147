using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace GoNetTools.Foundation.Processes;

/// <summary>
/// The one way GoNetTools runs a child program that must not outlive the command: go builds and downloads, fwupdmgr,
/// system_profiler. On Linux and macOS the child leads a process group of its own (<see cref="PosixSpawn"/>), so
/// <see cref="Kill"/> and Ctrl+C (a cancelled <see cref="WaitForExit"/>) end it with everything it started, in one
/// signal, and the group is swept once more when the child exits by itself so no straggler is left. On Windows the
/// process tree is killed (Process.Kill(entireProcessTree)). Stdout and stderr are read on background threads into
/// memory up to a limit, so a chatty child never blocks on a full pipe; a spec may also hear each line as it comes.
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _exited = new(false);
    private readonly Stopwatch _clock = new();
    private readonly OutputBuffer _stdout;
    private readonly OutputBuffer _stderr;
    private int _pid;
    private bool _reaped;
    private bool _disposed;

    private ChildProcess(ProcessSpec spec)
    {
        Spec = spec;
        _stdout = new OutputBuffer(spec.OutputLimit, spec.StandardOutputLine);
        _stderr = new OutputBuffer(spec.OutputLimit, spec.StandardErrorLine);
    }

    public ProcessSpec Spec { get; }

    /// <summary>The child's pid (and, off Windows, its process group id).</summary>
    public int Id => _pid;

    public bool HasExited => _exited.IsSet;

    /// <summary>The exit code once exited (128 + signal when a signal ended it); -1 before.</summary>
    public int ExitCode { get; private set; } = -1;

    /// <summary>From the spawn to the child's exit (what `time` would print as real).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>True when <see cref="Kill"/> ended it.</summary>
    public bool Killed { get; private set; }

    /// <summary>Kept stdout; empty when the spec streams it (see <see cref="OutputReader"/>).</summary>
    public string StandardOutput => _stdout.Text;

    /// <summary>The child's stdin when the spec asked for a pipe (closing it is the child's end of input); null otherwise.</summary>
    public Stream? StandardInput { get; private set; }

    /// <summary>Stdout as the child prints it, when <see cref="ProcessSpec.StreamStandardOutput"/>; null otherwise.</summary>
    public TextReader? OutputReader { get; private set; }

    public string StandardError => _stderr.Text;

    /// <summary>Starts the child. Throws <see cref="FileNotFoundException"/> or Win32Exception when it cannot be started.</summary>
    public static ChildProcess Start(ProcessSpec spec)
    {
        var child = new ChildProcess(spec);
        if (OperatingSystem.IsWindows())
        {
            child.StartWindows();
        }
        else
        {
            child.StartPosix();
        }
        return child;
    }

    /// <summary>
    /// Runs to the end, at most <paramref name="timeout"/> (then killed, TimedOut set). Cancelling kills the child
    /// and throws OperationCanceledException.
    /// </summary>
    public static ProcessResult Run(ProcessSpec spec, TimeSpan timeout, CancellationToken cancel)
    {
        using var child = Start(spec);
        var finished = child.WaitForExit(timeout, cancel);
        if (!finished)
        {
            child.Kill();
        }
        return new ProcessResult(child.ExitCode, child.StandardOutput, child.StandardError, child.Elapsed, !finished);
    }

    /// <summary>Waits up to <paramref name="timeout"/>; false when still running. Cancelling kills the child and throws.</summary>
    public bool WaitForExit(TimeSpan timeout, CancellationToken cancel)
    {
        var which = WaitHandle.WaitAny(new[] { _exited.WaitHandle, cancel.WaitHandle }, timeout);
        if (which == 1 && !_exited.IsSet)
        {
            Kill();
            throw new OperationCanceledException(cancel);
        }
        return which == 0 || _exited.IsSet;
    }

    /// <summary>Ends the child and everything it started, and waits until it is reaped. Idempotent, and a no-op once disposed.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (_pid != 0 && !_reaped && !_exited.IsSet)
            {
                Killed = true;
                KillNow();
            }
        }
        try
        {
            _exited.Wait(TimeSpan.FromSeconds(10));
        }
        catch (ObjectDisposedException)
        {
            // Disposed by its owner meanwhile: it was reaped before that.
        }
    }

    public void Dispose()
    {
        Kill();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        OutputReader?.Dispose();
        DisposeWindows();
        StandardInput?.Dispose();
        _exited.Dispose();
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void StartPosix()
    {
        var path = Spec.ResolveFileName();
        var argv = new System.Collections.Generic.List<string> { path };
        argv.AddRange(Spec.Arguments);
        _clock.Start();
        var (pid, stdin, stdout, stderr) = PosixSpawn.Start(path, argv, Spec.EnvironmentBlock(), Spec.WorkingDirectory, Spec.StandardInputPipe);
        _pid = pid;
        if (stdin >= 0)
        {
            StandardInput = new FileStream(new SafeFileHandle((IntPtr)stdin, ownsHandle: true), FileAccess.Write, 1);
        }
        var readers = Spec.StreamStandardOutput
            ? new[] { _stderr.StartReading(Pipe(stderr)) }
            : new[] { _stdout.StartReading(Pipe(stdout)), _stderr.StartReading(Pipe(stderr)) };
        if (Spec.StreamStandardOutput)
        {
            OutputReader = new StreamReader(Pipe(stdout), new System.Text.UTF8Encoding(false));
        }
        var waiter = new Thread(() =>
        {
            PosixSpawn.WaitExitedNoReap(pid);
            Elapsed = _clock.Elapsed;
            lock (_gate)
            {
                // The child is a zombie: its pid, and so its group id, cannot be reused yet. Sweep the group, then reap.
                PosixSpawn.KillGroup(pid);
                ExitCode = PosixSpawn.Reap(pid);
                _reaped = true;
            }
            foreach (var reader in readers)
            {
                reader.Join(TimeSpan.FromSeconds(5));
            }
            SetExited();
        })
        { IsBackground = true, Name = "GoNetTools child " + pid };
        waiter.Start();
    }

    private void KillNow()
    {
        if (OperatingSystem.IsWindows())
        {
            KillWindows();
        }
        else
        {
            PosixSpawn.KillGroup(_pid);
        }
    }

    private void SetExited()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _exited.Set();
            }
        }
    }

    private static FileStream Pipe(int fd) => new(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Read, 1);
}
