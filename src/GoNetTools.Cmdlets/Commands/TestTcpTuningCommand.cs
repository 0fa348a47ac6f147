using System;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Core.Tuning;

namespace GoNetTools.Commands;

/// <summary>
/// Test-TcpTuning: drift and myth checks on the live tunables and the boot configuration, plus each mismatch
/// with -Profile. Each finding carries its evidence. -Quiet returns $true when nothing was found.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "TcpTuning")]
[OutputType(typeof(TcpTuningFinding))]
[OutputType(typeof(bool))]
public sealed class TestTcpTuningCommand : TuningCmdletBase
{
    /// <summary>Also report every value that differs from this profile (GoDev, Default).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(TuningProfileCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>Return only $true (no findings) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var inventory = OpenInventory();
        var profile = Profile is null ? null : ResolveProfile(Profile);
        try
        {
            var findings = TuningRules.Evaluate(inventory.State(), inventory.Catalog, profile).ToList();
            if (Quiet)
            {
                WriteObject(findings.Count == 0);
                return;
            }
            foreach (var finding in findings)
            {
                WriteObject(finding);
            }
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, null);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowReadFailure(e);
        }
    }
}
