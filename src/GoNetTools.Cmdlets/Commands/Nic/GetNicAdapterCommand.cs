using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// Get-NicAdapter: network adapters with driver, link, queue and RSS layout. -Name takes names, wildcards and the
/// aliases Wi-Fi and Ethernet; a plain name that matches nothing is an AdapterNotFound error for that name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NicAdapter")]
[OutputType(typeof(NicAdapter))]
public sealed class GetNicAdapterCommand : NicCommandBase
{
    /// <summary>Adapter names, wildcard patterns, or the aliases Wi-Fi / Ethernet; all adapters when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only adapters with hardware behind them.</summary>
    [Parameter]
    public SwitchParameter Physical { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => Guard(Name, () =>
    {
        foreach (var adapter in ResolveAdapters(Name))
        {
            if (!Physical || adapter.IsPhysical)
            {
                WriteObject(adapter);
            }
        }
    });
}
