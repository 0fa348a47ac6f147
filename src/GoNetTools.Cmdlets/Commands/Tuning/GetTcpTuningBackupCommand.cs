using System;
using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Tuning;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpTuningBackup: the snapshots Set-TcpTuning took, newest first. Each file is validated as untrusted input;
/// one that fails is a TuningBackupInvalid error for that file and the listing goes on. -Latest is the newest valid one.
/// </summary>
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
        var inventory = OpenInventory();
        var backups = new TuningBackupStore(inventory.Store, inventory.Catalog);
        GuardedTuning(() =>
        {
            if (Latest)
            {
                var rejected = new List<RejectedBackup>();
                var latest = backups.Latest(rejected);
                foreach (var bad in rejected)
                {
                    WriteError(ErrorFactory.Create(bad.Reason, bad.Path));
                }
                if (latest is var (path, snapshot))
                {
                    WriteObject(TuningInventory.ToBackup(path, snapshot));
                }
                return;
            }
            foreach (var path in backups.List())
            {
                // One bad file is an error for that file; the listing goes on.
                if (backups.TryLoad(path, out var snapshot, out var reason))
                {
                    WriteObject(TuningInventory.ToBackup(path, snapshot!));
                }
                else
                {
                    WriteError(ErrorFactory.Create(reason!, path));
                }
            }
        }, null);
    }
}
