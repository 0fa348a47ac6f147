using System;
using System.IO;
using System.Threading;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// Starts a lab GOPROXY and registers it with its owner, so it is stopped with the owner's session. The one
/// entry point for Start-GoProxyLab and for commands that run a lab of their own (Test-GoProxyStability -Lab).
/// </summary>
internal static class GoProxyLabLauncher
{
    /// <summary>
    /// Starts the lab and waits until it listens. <paramref name="moduleBase"/> is the imported module's folder
    /// (MyInvocation.MyCommand.Module.ModuleBase); <paramref name="labAssembly"/> overrides where the lab is.
    /// Throws <see cref="GoNetToolsException"/> with an ErrorIds.GoProxyLab* id when it cannot.
    /// </summary>
    public static GoProxyLab Start(GoProxyLabOptions options, string? moduleBase, Guid owner, CancellationToken cancel, string? labAssembly = null)
    {
        labAssembly ??= GoProxyLabLocator.LabAssembly(moduleBase);
        if (!File.Exists(labAssembly))
        {
            throw new GoNetToolsException(ErrorIds.GoProxyLabNotInstalled, FailureKind.ResourceUnavailable,
                $"The lab server '{labAssembly}' is missing from the module.",
                "Rebuild GoNetTools (dotnet build GoNetTools.sln) or reinstall the module: the lab is staged in its lab/ folder.");
        }
        var dotnet = GoProxyLabLocator.DotnetHost()
            ?? throw new GoNetToolsException(ErrorIds.GoProxyLabNotInstalled, FailureKind.ResourceUnavailable,
                "No 'dotnet' host was found to run the lab server.", "Install the .NET 10 runtime with ASP.NET Core, or set DOTNET_ROOT.");
        GoProxyLabProcess process;
        try
        {
            process = GoProxyLabProcess.Start(dotnet, labAssembly, options.ToArguments(), TimeSpan.FromSeconds(60), cancel);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GoNetToolsException(ErrorIds.GoProxyLabNotInstalled, FailureKind.ResourceUnavailable,
                $"'{dotnet}' cannot be run: {e.Message}", "Install the .NET 10 runtime with ASP.NET Core.", e);
        }
        var lab = new GoProxyLab(GoProxyLabRegistry.NextId(), process, options.Faults, GoProxyLabOptions.GoEnvironment(process.Url, process.CertificatePath));
        GoProxyLabRegistry.Add(lab, owner);
        return lab;
    }
}
