using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Capture;

/// <summary>
/// Every capture session of this process, by Id: listed and stopped by Id from any runspace (Get-/Stop-PacketCapture).
/// Each is owned by the runspace that started it (Core/SessionRegistry, the one ownership rule): closing that runspace
/// or removing the module from it stops its captures, the process exit stops every capture; their files are flushed
/// and closed. A stopped capture stays listed.
/// </summary>
internal static class CaptureRegistry
{
    /// <summary>How long Stop waits for the capture thread to close its files.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly SessionRegistry<CaptureRunner> Sessions = new(StopRunning);

    /// <summary>Starts a session owned by <paramref name="owner"/> and registers it; setup errors are thrown as GoNetToolsException.</summary>
    public static CaptureRunner Start(CaptureOptions options, Guid owner)
    {
        var runner = CaptureRunner.Start(Sessions.NextId(), options);
        Sessions.Add(runner, owner);
        return runner;
    }

    /// <summary>The session with this id, or null.</summary>
    public static CaptureRunner? Find(int id) => Sessions.All().FirstOrDefault(r => r.Id == id);

    /// <summary>Every session, oldest first.</summary>
    public static IReadOnlyList<CaptureRunner> All() => Sessions.All().OrderBy(r => r.Id).ToList();

    /// <summary>Asks every capture to stop first, then waits for each: they close their files side by side.</summary>
    private static void StopRunning(IReadOnlyList<CaptureRunner> sessions)
    {
        var running = sessions.Where(r => r.IsRunning).ToList();
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
