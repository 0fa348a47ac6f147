using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Capture;

namespace GoNetTools.Commands;

/// <summary>
/// Stop-PacketCapture: stops sessions, flushes and closes their files, and returns each final session. A session
/// that has already stopped is returned as it is.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "PacketCapture", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(CaptureSession))]
public sealed class StopPacketCaptureCommand : GoNetToolsCmdlet
{
    private const string IdSet = "Id";
    private const string InputSet = "InputObject";
    private const string AllSet = "All";

    /// <summary>The ids of the sessions to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ValidateRange(1, int.MaxValue)]
    public int[] Id { get; set; } = System.Array.Empty<int>();

    /// <summary>Sessions from Start-PacketCapture or Get-PacketCapture.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CaptureSession[] InputObject { get; set; } = System.Array.Empty<CaptureSession>();

    /// <summary>Stop every running session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IEnumerable<(int Id, object Target)> wanted = ParameterSetName switch
        {
            InputSet => Ids(InputObject),
            AllSet => Running(),
            _ => Targets(Id),
        };
        foreach (var (id, target) in wanted)
        {
            var runner = CaptureRegistry.Find(id);
            if (runner is null)
            {
                WriteError(ErrorIds.CaptureSessionNotFound, ErrorCategory.ObjectNotFound, target,
                    $"No capture session has Id {id}.", "Get-PacketCapture lists the sessions.");
                continue;
            }
            var before = runner.Snapshot();
            if (before.State == CaptureState.Running && !ShouldProcess($"capture {id} on {before.Adapter} ({before.Path})", "Stop"))
            {
                continue;
            }
            if (before.State == CaptureState.Running && !runner.Stop(CaptureRegistry.StopTimeout))
            {
                WriteError(ErrorIds.CaptureDeviceError, ErrorCategory.OperationTimeout, target,
                    $"Capture {id} did not stop within {CaptureRegistry.StopTimeout.TotalSeconds:0} s.", "Run Stop-PacketCapture again.");
                continue;
            }
            WriteObject(runner.Snapshot());
        }
    }

    private static IEnumerable<(int, object)> Ids(CaptureSession[] sessions)
    {
        foreach (var s in sessions)
        {
            yield return (s.Id, s);
        }
    }

    private static IEnumerable<(int, object)> Targets(int[] ids)
    {
        foreach (var id in ids)
        {
            yield return (id, id);
        }
    }

    private static IEnumerable<(int, object)> Running()
    {
        foreach (var runner in CaptureRegistry.All())
        {
            if (runner.IsRunning)
            {
                yield return (runner.Id, runner.Id);
            }
        }
    }
}
