using System.Management.Automation;
using GoNetTools.Capture;

namespace GoNetTools.Commands;

/// <summary>Remove-Module GoNetTools: captures still running are stopped and their files closed.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => CaptureRegistry.StopAll();
}
