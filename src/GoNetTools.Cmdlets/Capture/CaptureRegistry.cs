using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace GoNetTools.Capture;

/// <summary>
/// Every capture session of this process, by Id (sessions are process-wide: a capture started in one runspace can
/// be stopped from another). Sessions still running are stopped, their files flushed and closed, when the module
/// is removed (ModuleCleanup) or the process exits (AppDomain.ProcessExit).
/// </summary>
internal static class CaptureRegistry
{
    /// <summary>How long Stop waits for the capture thread to close its files.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<int, CaptureRunner> Sessions = new();
    private static int _lastId;
    private static int _exitHookInstalled;

    /// <summary>Starts a session and registers it; setup errors are thrown as GoNetToolsException.</summary>
    public static CaptureRunner Start(CaptureOptions options)
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        }
        var id = Interlocked.Increment(ref _lastId);
        var runner = CaptureRunner.Start(id, options);
        Sessions[id] = runner;
        return runner;
    }

    /// <summary>The session with this id, or null.</summary>
    public static CaptureRunner? Find(int id) => Sessions.TryGetValue(id, out var runner) ? runner : null;

    /// <summary>Every session, oldest first.</summary>
    public static IReadOnlyList<CaptureRunner> All() => Sessions.Values.OrderBy(r => r.Id).ToList();

    /// <summary>Stops every running session (module removal, process exit).</summary>
    public static void StopAll()
    {
        var running = Sessions.Values.Where(r => r.IsRunning).ToList();
        foreach (var runner in running)
        {
            runner.RequestStop();
        }
        foreach (var runner in running)
        {
            runner.Stop(StopTimeout);
        }
    }
}
