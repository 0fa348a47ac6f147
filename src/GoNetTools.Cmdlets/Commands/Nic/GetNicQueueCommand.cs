using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// Get-NicQueue: each receive and transmit queue of the adapters with its interrupt and affinity, RPS/XPS CPU sets,
/// RSS indirection share and per-queue counters where the driver keeps them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NicQueue")]
[OutputType(typeof(NicQueue))]
public sealed class GetNicQueueCommand : NicCommandBase
{
    /// <summary>Adapter names, wildcards, or Wi-Fi / Ethernet; all adapters when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string[]? Adapter { get; set; }

    /// <summary>Only Rx or only Tx queues.</summary>
    [Parameter]
    public NicQueueDirection? Direction { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => Guard(Adapter, () =>
    {
        foreach (var adapter in ResolveAdapters(Adapter))
        {
            foreach (var queue in Source.GetQueues(adapter))
            {
                if (Direction is null || queue.Direction == Direction)
                {
                    WriteObject(queue);
                }
            }
        }
    });
}
