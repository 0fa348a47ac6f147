using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>
/// Ties labs to the runspace that started them: when that runspace closes, or the module is removed from it,
/// its labs are stopped. Labs die with the engine that started them.
/// </summary>
internal static class GoProxyLabSession
{
    private static readonly ConcurrentDictionary<Guid, bool> Watched = new();

    /// <summary>The current runspace's id (Guid.Empty outside a runspace).</summary>
    public static Guid Owner => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

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
                GoProxyLabRegistry.StopOwnedBy(id);
                Watched.TryRemove(id, out bool _);
            }
        };
    }
}

/// <summary>Remove-Module GoNetTools stops the labs the removing session started.</summary>
public sealed class GoNetToolsModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => GoProxyLabRegistry.StopOwnedBy(GoProxyLabSession.Owner);
}
