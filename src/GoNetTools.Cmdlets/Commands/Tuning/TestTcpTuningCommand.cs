using System;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tuning;
using GoNetTools.Platform;

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
        GuardedTuning(() =>
        {
            var state = inventory.State();
            var findings = TuningRules.Evaluate(state, inventory.Catalog, profile).ToList();
            findings.AddRange(InterruptFindings(state.Scope));
            if (Quiet)
            {
                WriteObject(findings.Count == 0);
                return;
            }
            foreach (var finding in findings)
            {
                WriteObject(finding);
            }
        }, null);
    }

    /// <summary>
    /// Pinned NIC interrupts that irqbalance will undo (Linux, where the NIC layer reads /proc/irq). A machine
    /// whose NIC data cannot be read gives no interrupt findings and says why in the verbose stream.
    /// </summary>
    private System.Collections.Generic.IEnumerable<TcpTuningFinding> InterruptFindings(string scope)
    {
        if (!PlatformServices.HasInterruptAffinity)
        {
            return Array.Empty<TcpTuningFinding>();
        }
        try
        {
            var nic = PlatformServices.Nic(SystemRoot);
            var interrupts = nic.GetInterrupts(nic.GetAdapters().ToList());
            return IrqBalanceRule.Evaluate(interrupts.Select(i => (i, nic.IrqBalance(i.Irq))).ToList(), nic.OnlineCpus(), scope).ToList();
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException)
        {
            WriteVerbose($"Interrupt check skipped: {e.Message}");
            return Array.Empty<TcpTuningFinding>();
        }
    }
}
