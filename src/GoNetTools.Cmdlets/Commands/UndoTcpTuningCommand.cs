using System;
using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Core.Tuning;

namespace GoNetTools.Commands;

/// <summary>
/// Undo-TcpTuning: puts every tunable back to the exact value in a snapshot Set-TcpTuning took, and the
/// persisted file back to its previous content (removing it when it did not exist). All-or-nothing, like Set.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "TcpTuning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LatestSet)]
[OutputType(typeof(TcpTuningChange))]
public sealed class UndoTcpTuningCommand : TuningCmdletBase
{
    private const string LatestSet = "Latest";
    private const string BackupSet = "Backup";

    /// <summary>The backup file to restore (Path of a Get-TcpTuningBackup object; pipeline by property name).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BackupSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string Backup { get; set; } = "";

    /// <summary>Restore the newest backup.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Restore even when the backup was taken in another network namespace or on another host.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var inventory = OpenInventory();
        var store = inventory.Store;
        try
        {
            var backups = new TuningBackupStore(store.BackupDirectory);
            string path;
            if (ParameterSetName == LatestSet)
            {
                var all = backups.List();
                if (all.Count == 0)
                {
                    ThrowTerminating(ErrorIds.TuningBackupNotFound, ErrorCategory.ObjectNotFound, store.BackupDirectory,
                        $"There is no tuning backup in {store.BackupDirectory}.", "Set-TcpTuning makes one before every change.");
                }
                path = all[0];
            }
            else
            {
                path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Backup);
            }
            var snapshot = TuningBackupStore.Load(path);
            CheckScope(snapshot, inventory, path);

            var transaction = new TuningTransaction(store, FailAt);
            var approved = new List<PlannedChange>();
            foreach (var (name, value) in snapshot.Values)
            {
                var definition = inventory.Find(name);
                if (definition is null || definition.ReadOnly)
                {
                    WriteWarning($"{path}: '{name}' is not a writable tunable on this OS; skipped.");
                    continue;
                }
                var current = store.ReadLive(definition);
                if (string.Equals(current, value, StringComparison.Ordinal))
                {
                    continue;
                }
                var change = new PlannedChange(definition, current, value);
                if (ShouldProcess($"{definition.Key} ({definition.Name}) in {store.Scope}",
                    $"Restore from {current ?? "(not set)"} to {value ?? "(not set: OS default)"}{(definition.RequiresReboot ? " (takes effect after a restart)" : "")}"))
                {
                    approved.Add(change);
                }
            }
            var restoreFile = store.PersistPath is not null && snapshot.PersistPath == store.PersistPath
                && !string.Equals(store.ReadPersisted(), snapshot.PersistedPrevious, StringComparison.Ordinal)
                && ShouldProcess(store.PersistPath, snapshot.PersistedPrevious is null ? "Remove (it did not exist before)" : "Restore its previous content");
            if (approved.Count == 0 && !restoreFile)
            {
                return;
            }
            if (store.PrivilegeProblem() is { } problem)
            {
                ThrowTerminating(ErrorIds.TuningRequiresRoot, ErrorCategory.PermissionDenied, path, problem, "Run it again as root / Administrator.");
            }
            var outcome = transaction.Apply(approved, persist: false, backupPath: path);
            foreach (var record in outcome.Changes)
            {
                WriteObject(record);
            }
            if (outcome.Failure is { } failure)
            {
                ThrowTransactionFailure(failure, path);
            }
            if (restoreFile)
            {
                RestoreFile(store, snapshot, path);
            }
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, Backup.Length > 0 ? Backup : null);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowReadFailure(e);
        }
    }

    private void CheckScope(TuningSnapshot snapshot, TuningInventory inventory, string path)
    {
        var store = inventory.Store;
        var sameOs = snapshot.Os == store.Os;
        var sameScope = snapshot.NamespaceInode == store.NamespaceInode && string.Equals(snapshot.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
        if (!sameOs || (!sameScope && !Force))
        {
            ThrowTerminating(ErrorIds.TuningBackupScopeMismatch, ErrorCategory.InvalidOperation, path,
                $"{path} was taken on {snapshot.Host} in {snapshot.Scope} ({snapshot.Os}); this is {Environment.MachineName} in {store.Scope} ({store.Os}).",
                sameOs ? "Run it in the namespace the backup names, or add -Force to restore here anyway." : "Restore it on the OS it was taken on.");
        }
    }

    private void RestoreFile(Platform.ITunableStore store, TuningSnapshot snapshot, string path)
    {
        try
        {
            store.RestorePersisted(snapshot.PersistedPrevious);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowTerminating(ErrorIds.TuningPersistFailed, ErrorCategory.WriteError, store.PersistPath,
                $"The live values were restored, but {store.PersistPath} could not be: {e.Message}",
                $"Fix the file by hand from the PersistedPrevious field of {path}.", e);
        }
    }
}
