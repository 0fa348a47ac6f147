using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Get-NicAdapter: network adapters with driver, link, queue and RSS layout. -Name takes names, wildcards and the
/// aliases Wi-Fi and Ethernet; a plain name that matches nothing is an AdapterNotFound error for that name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NicAdapter")]
[OutputType(typeof(NicAdapter))]
public sealed class GetNicAdapterCommand : GoNetToolsCmdlet
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

    private INicSource? _source;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _source = PlatformServices.Nic(SystemRoot);
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, null);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var source = _source!;
        try
        {
            if (Name is null)
            {
                Write(AdapterLookup.Match(source, null));
                return;
            }
            foreach (var name in Name)
            {
                try
                {
                    Write(AdapterLookup.Match(source, new[] { name }));
                }
                catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.AdapterNotFound)
                {
                    WriteError(ErrorFactory.Create(e, name));
                }
            }
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.NicInfoUnavailable, ErrorCategory.ReadError, Name,
                $"Reading the adapters failed: {e.Message}", "Check that /sys is mounted and readable.", e);
        }
    }

    private void Write(System.Collections.Generic.IEnumerable<NicAdapter> adapters)
    {
        foreach (var adapter in adapters.Where(a => !Physical || a.IsPhysical))
        {
            WriteObject(adapter);
        }
    }
}
