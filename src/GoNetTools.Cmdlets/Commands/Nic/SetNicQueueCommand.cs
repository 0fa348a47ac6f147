using System.Linq;
using System.Management.Automation;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// Set-NicQueue: sets a queue's RPS CPUs (receive packet steering, queues/rx-N/rps_cpus) and/or XPS CPUs (transmit
/// packet steering, queues/tx-N/xps_cpus). An empty set turns steering off for that queue; offline CPUs are refused.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NicQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NicQueue))]
public sealed class SetNicQueueCommand : NicCommandBase
{
    /// <summary>The adapter (a name or the Wi-Fi / Ethernet alias).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string Adapter { get; set; } = "";

    /// <summary>Queue number: rx-N for -RpsCpus, tx-N for -XpsCpus.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int Index { get; set; }

    /// <summary>CPUs that process packets received on rx-Index (RPS); empty turns RPS off.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ValidateRange(0, 65535)]
    public int[]? RpsCpus { get; set; }

    /// <summary>CPUs whose sends use tx-Index (XPS); empty turns XPS off.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ValidateRange(0, 65535)]
    public int[]? XpsCpus { get; set; }

    /// <summary>Writes the changed queues, read back after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => Guard(Adapter, () =>
    {
        if (RpsCpus is null && XpsCpus is null)
        {
            ThrowTerminating(ErrorIds.InvalidCpuSet, ErrorCategory.InvalidArgument, Adapter,
                "Nothing to set: give -RpsCpus, -XpsCpus or both.", "Example: Set-NicQueue -Adapter eth0 -Index 0 -RpsCpus 2,3");
            return;
        }
        // A wildcard must name exactly one adapter: "eth*" matching eth0 and eth1 is refused, never applied to the first.
        var adapter = Platform.AdapterLookup.ResolveOne(Source, Adapter, "Set-NicQueue");
        foreach (var (direction, cpus) in new[] { (NicQueueDirection.Rx, RpsCpus), (NicQueueDirection.Tx, XpsCpus) })
        {
            if (cpus is null)
            {
                continue;
            }
            var problem = CheckCpus(cpus, allowEmpty: true);
            if (problem is not null)
            {
                WriteError(ErrorIds.InvalidCpuSet, ErrorCategory.InvalidArgument, cpus, problem, "Give online CPU numbers, or an empty set to turn steering off.");
                continue;
            }
            var what = direction == NicQueueDirection.Rx ? "RPS" : "XPS";
            var text = cpus.Length == 0 ? "off" : CpuSet.FormatList(cpus);
            if (!ShouldProcess($"{adapter.Name} {direction.ToString().ToLowerInvariant()}-{Index}", $"Set {what} CPUs to {text}"))
            {
                continue;
            }
            Source.SetQueueCpus(adapter, direction, Index, cpus);
            if (PassThru)
            {
                var queue = Source.GetQueues(adapter).FirstOrDefault(q => q.Direction == direction && q.Index == Index);
                if (queue is not null)
                {
                    WriteObject(queue);
                }
            }
        }
    });
}
