using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using GoNetTools.GoModDownload;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>What the workstation cmdlets share: the machine source, the go tool, and one way to end a run.</summary>
public abstract partial class WorkstationCommandBase : GoNetToolsCmdlet
{
    private IWorkstationSource? _source;

    /// <summary>The machine facts for this OS and system root, made on first use.</summary>
    private protected IWorkstationSource Source => _source ??= PlatformServices.Workstation(SystemRoot, CancelToken);

    /// <summary>The go tool (test hook, else PATH); stops the command with GoToolNotFound when there is none.</summary>
    private protected string FindGo()
    {
        try
        {
            return GoToolLocator.Find(TestHook.GoTool.Read(SessionState));
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, "go");
            throw;
        }
    }

    /// <summary>
    /// Runs the command's work: Ctrl+C (a cancelled wait) stops the pipeline, back-end failures keep their id, and
    /// I/O failures become WorkstationInfoUnavailable. The engines kill their children before the cancellation surfaces.
    /// </summary>
    private protected void Run(object? target, Action body)
    {
        try
        {
            Guarded(body, target, ErrorIds.WorkstationInfoUnavailable, "Reading the machine's facts",
                "Check that /proc and /sys are mounted and readable (Linux), or that the CIM service runs (Windows).");
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Refuses a -Package value go would read as a flag or that is not an import path or pattern.</summary>
    private protected void CheckPackage(string package)
    {
        if (package.StartsWith('-') || !ImportPath().IsMatch(package))
        {
            ThrowTerminating(ErrorIds.InvalidGoPackage, ErrorCategory.InvalidArgument, package,
                $"-Package '{package}' is not a Go import path.", "Give an import path or pattern such as net/http, cmd/go or std.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._~+/-]*$")]
    private static partial Regex ImportPath();
}
