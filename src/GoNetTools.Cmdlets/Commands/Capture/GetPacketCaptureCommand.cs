using System.Management.Automation;
using GoNetTools.Capture;

namespace GoNetTools.Commands;

/// <summary>Get-PacketCapture: the capture sessions of this process, with current counters.</summary>
[Cmdlet(VerbsCommon.Get, "PacketCapture")]
[OutputType(typeof(CaptureSession))]
public sealed class GetPacketCaptureCommand : GoNetToolsCmdlet
{
    /// <summary>Only the sessions with these ids.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int[]? Id { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Id is null)
        {
            foreach (var runner in CaptureRegistry.All())
            {
                WriteObject(runner.Snapshot());
            }
            return;
        }
        foreach (var id in Id)
        {
            var runner = CaptureRegistry.Find(id);
            if (runner is null)
            {
                WriteError(ErrorIds.CaptureSessionNotFound, ErrorCategory.ObjectNotFound, id,
                    $"No capture session has Id {id}.", "Get-PacketCapture without -Id lists the sessions.");
                continue;
            }
            WriteObject(runner.Snapshot());
        }
    }
}
