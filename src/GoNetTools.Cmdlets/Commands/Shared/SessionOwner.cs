using System;
using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// The owner of the sessions a command starts (captures, labs): the current runspace. When that runspace closes its
/// sessions are stopped (Core/SessionRegistry holds the rule; ModuleCleanup does the same on Remove-Module).
/// </summary>
internal static class SessionOwner
{
    private static readonly ConcurrentDictionary<Guid, bool> Watched = new();

    /// <summary>The current runspace's id (Guid.Empty outside a runspace).</summary>
    public static Guid Current => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    /// <summary>Stops the current runspace's sessions when it closes (once per runspace).</summary>
    public static void Watch()
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null || !Watched.TryAdd(runspace.InstanceId, true))
        {
            return;
        }
        var id = runspace.InstanceId;
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)
            {
                SessionRegistries.StopOwnedBy(id);
                Watched.TryRemove(id, out bool _);
            }
        };
    }
}
