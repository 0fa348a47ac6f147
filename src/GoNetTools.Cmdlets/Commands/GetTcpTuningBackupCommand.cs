using System;
using System.Management.Automation;
using GoNetTools.Core.Tuning;

namespace GoNetTools.Commands;

/// <summary>Get-TcpTuningBackup: the snapshots Set-TcpTuning took, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "TcpTuningBackup")]
[OutputType(typeof(TcpTuningBackup))]
public sealed class GetTcpTuningBackupCommand : TuningCmdletBase
{
    /// <summary>Only the newest backup.</summary>
    [Parameter]
    public SwitchParameter Latest { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var store = OpenInventory().Store;
        try
        {
            foreach (var path in new TuningBackupStore(store.BackupDirectory).List())
            {
                try
                {
                    WriteObject(TuningInventory.ToBackup(path, TuningBackupStore.Load(path)));
                }
                catch (GoNetToolsException e)
                {
                    WriteError(ErrorFactory.Create(e, path));
                    continue;
                }
                if (Latest)
                {
                    return;
                }
            }
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowReadFailure(e);
        }
    }
}
