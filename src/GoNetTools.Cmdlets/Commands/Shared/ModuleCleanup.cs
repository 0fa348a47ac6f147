using System.Management.Automation;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>Remove-Module GoNetTools: the sessions the removing runspace started (captures, labs) are stopped, capture files closed.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => SessionRegistries.StopOwnedBy(SessionOwner.Current);
}
