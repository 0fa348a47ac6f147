using System.Linq;
using System.Management.Automation;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// Set-NicInterruptAffinity: pins an adapter interrupt to CPUs (writes /proc/irq/N/smp_affinity_list). An empty or
/// offline CPU set is refused before anything is written. irqbalance undoes it unless the IRQ is banned.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NicInterruptAffinity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIrqSet)]
[OutputType(typeof(NicInterrupt))]
public sealed class SetNicInterruptAffinityCommand : NicCommandBase
{
    private const string ByIrqSet = "ByIrq";
    private const string ByInputSet = "ByInputObject";

    /// <summary>The interrupt number (Get-NicInterrupt lists them).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIrqSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Irq { get; set; }

    /// <summary>Interrupts from Get-NicInterrupt.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputSet)]
    [ValidateNotNull]
    public NicInterrupt? InputObject { get; set; }

    /// <summary>The CPUs allowed to handle the interrupt; must be non-empty and online.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyCollection]
    [ValidateRange(0, 65535)]
    public int[] Cpu { get; set; } = System.Array.Empty<int>();

    /// <summary>Writes the interrupt, read back after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var irq = InputObject?.Irq ?? Irq;
        object target = (object?)InputObject ?? irq;
        Guard(target, () =>
        {
            var problem = CheckCpus(Cpu, allowEmpty: false);
            if (problem is not null)
            {
                WriteError(ErrorIds.InvalidCpuSet, ErrorCategory.InvalidArgument, target, problem,
                    "Give -Cpu one or more online CPU numbers (/sys/devices/system/cpu/online).");
                return;
            }
            var adapters = Source.GetAdapters().ToList();
            var current = Source.GetInterrupts(adapters).FirstOrDefault(i => i.Irq == irq);
            if (current is null)
            {
                WriteError(ErrorIds.IrqNotFound, ErrorCategory.ObjectNotFound, target,
                    $"IRQ {irq} is not a network adapter interrupt here.", "Get-NicInterrupt lists the adapters' interrupts.");
                return;
            }
            var cpus = CpuSet.FormatList(Cpu);
            if (!ShouldProcess($"IRQ {irq} ({current.Name}, affinity {CpuSet.FormatList(current.AffinityList)})", $"Set CPU affinity to {cpus}"))
            {
                return;
            }
            Source.SetInterruptAffinity(irq, Cpu.Distinct().OrderBy(c => c).ToArray());
            WarnIrqBalance(new[] { irq }, "it will move the interrupt off the CPUs just set.");
            if (PassThru)
            {
                var after = Source.GetInterrupts(adapters).FirstOrDefault(i => i.Irq == irq);
                if (after is not null)
                {
                    WriteObject(after);
                }
            }
        });
    }
}
