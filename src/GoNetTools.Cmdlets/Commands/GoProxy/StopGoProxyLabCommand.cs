using System.Linq;
using System.Management.Automation;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>Stop-GoProxyLab: stops labs (from the pipeline or by id); -PassThru returns each with its final counts.</summary>
[Cmdlet(VerbsLifecycle.Stop, "GoProxyLab", SupportsShouldProcess = true, DefaultParameterSetName = LabSet)]
[OutputType(typeof(GoProxyLab))]
public sealed class StopGoProxyLabCommand : GoNetToolsCmdlet
{
    private const string LabSet = "Lab";
    private const string IdSet = "Id";

    /// <summary>The labs to stop, as Start-GoProxyLab or Get-GoProxyLab returned them.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = LabSet)]
    [ValidateNotNull]
    public GoProxyLab[] Lab { get; set; } = System.Array.Empty<GoProxyLab>();

    /// <summary>Ids of this session's labs to stop.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(GoProxyLabIdCompleter))]
    [ValidateRange(1, int.MaxValue)]
    public int[] Id { get; set; } = System.Array.Empty<int>();

    /// <summary>Return each stopped lab, with its final Statistics.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == LabSet)
        {
            foreach (var lab in Lab)
            {
                Stop(lab);
            }
            return;
        }
        var labs = GoProxyLabRegistry.OwnedBy(SessionOwner.Current);
        foreach (var id in Id)
        {
            var lab = labs.FirstOrDefault(l => l.Id == id);
            if (lab is null)
            {
                WriteError(ErrorIds.GoProxyLabNotFound, ErrorCategory.ObjectNotFound, id,
                    $"No lab GOPROXY with id {id} is running in this session.", "Run Get-GoProxyLab to list the labs of this session.");
                continue;
            }
            Stop(lab);
        }
    }

    private void Stop(GoProxyLab lab)
    {
        if (!ShouldProcess($"lab {lab.Id} {lab.Url} (pid {lab.ProcessId})", "Stop lab GOPROXY"))
        {
            return;
        }
        GoProxyLabRegistry.Stop(lab);
        if (PassThru)
        {
            WriteObject(lab);
        }
    }
}
