using System.Management.Automation;
using GoNetTools.GoModDownload;
using GoNetTools.Platform;
using GoNetTools.Workstation;

namespace GoNetTools.Commands;

/// <summary>
/// Test-GoWorkstation: is this machine fit for Go work? One result with findings across CPU (clock, governor,
/// throttling), memory (size, swap under go list -deps std), the storage behind GOCACHE and GOMODCACHE, the NICs
/// (PCIe link, NUMA placement of interrupts, RSS queues), firmware (fwupd, report only) and, opt-in, cold build times.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GoWorkstation")]
[OutputType(typeof(WorkstationReport))]
public sealed class TestGoWorkstationCommand : WorkstationCommandBase
{
    /// <summary>Also run Measure-GoBuild's cold hello-world builds and judge them.</summary>
    [Parameter]
    public SwitchParameter IncludeBuild { get; set; }

    /// <summary>Builds to run with -IncludeBuild.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int BuildCount { get; set; } = 5;

    /// <summary>Skip the `go list -deps std` memory probe.</summary>
    [Parameter]
    public SwitchParameter NoProbe { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string? go = null;
        try
        {
            go = GoToolLocator.Find(TestHook.GoTool.Read(SessionState));
        }
        catch (GoNetToolsException) when (!IncludeBuild)
        {
            // Without go the checks still run: Go's default cache locations are used and the probe is skipped (both said in NotExposed).
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, "go");
        }
        using var progress = StartProgress("Test-GoWorkstation", "Starting");
        Run(SystemRoot, () =>
        {
            var check = new WorkstationCheck(Source, PlatformServices.Nic(SystemRoot), go, CancelToken)
            {
                Probe = !NoProbe,
                BuildRuns = IncludeBuild ? BuildCount : 0,
                Progress = (status, percent) => progress.Show(status, percent),
                RunFailed = (command, tail) => WriteError(ErrorIds.GoBuildFailed, ErrorCategory.InvalidResult, command,
                    $"'{command}' failed: {tail}", "The other checks still ran; run the same command by hand to see what go needs."),
            };
            WriteObject(check.Run());
        });
    }
}
