using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tuning;
using GoNetTools.Foundation.Tunables;

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
        GuardedTuning(() =>
        {
            var (path, snapshot) = Choose(new TuningBackupStore(store, inventory.Catalog));
            CheckScope(snapshot, inventory, path);

            var restoreFile = CreatePlan(inventory).Restore(path, snapshot, () => store.PersistPath is not null && snapshot.PersistPath == store.PersistPath
                && !Same(store.CapturePersisted(), snapshot.Persisted)
                && ShouldProcess(store.PersistPath, snapshot.PersistedExisted ? "Restore GoNetTools' keys to their previous values" : "Remove (it did not exist before)"));
            if (restoreFile)
            {
                RestoreFile(store, snapshot, path);
            }
        }, Backup.Length > 0 ? Backup : null);
    }

    /// <summary>-Backup's file, or with -Latest the newest valid one (the rule Get-TcpTuningBackup -Latest follows).</summary>
    private (string Path, TuningSnapshot Snapshot) Choose(TuningBackupStore backups)
    {
        if (ParameterSetName != LatestSet)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Backup);
            return (path, backups.Load(path));
        }
        var rejected = new List<RejectedBackup>();
        var latest = backups.Latest(rejected);
        foreach (var bad in rejected)
        {
            WriteError(ErrorFactory.Create(bad.Reason, bad.Path));
        }
        if (latest is not var (found, snapshot))
        {
            ThrowTerminating(ErrorIds.TuningBackupNotFound, ErrorCategory.ObjectNotFound, backups.Directory,
                rejected.Count == 0 ? $"There is no tuning backup in {backups.Directory}." : $"None of the {rejected.Count} backups in {backups.Directory} is valid (see the errors above).",
                "Set-TcpTuning makes one before every change.");
            throw new InvalidOperationException(); // not reached
        }
        return (found, snapshot);
    }

    /// <summary>
    /// The backup must come from this OS, and without -Force from this host and namespace: inode, name and cookie all
    /// agree (an inode alone can be inherited by a new namespace). The message names each part that differs.
    /// </summary>
    private void CheckScope(TuningSnapshot snapshot, TuningInventory inventory, string path)
    {
        var store = inventory.Store;
        if (snapshot.Os != store.Os)
        {
            ThrowTerminating(ErrorIds.TuningBackupScopeMismatch, ErrorCategory.InvalidOperation, path,
                $"{path} was taken on {snapshot.Os}; this is {store.Os}.", "Restore it on the OS it was taken on.");
        }
        var differences = new List<string>();
        if (!string.Equals(snapshot.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"host: backup '{snapshot.Host}', here '{Environment.MachineName}'");
        }
        if (snapshot.NamespaceInode != store.NamespaceInode)
        {
            differences.Add($"namespace inode: backup {Show(snapshot.NamespaceInode)}, here {Show(store.NamespaceInode)}");
        }
        if (!string.Equals(snapshot.NamespaceName, store.NamespaceName, StringComparison.Ordinal))
        {
            differences.Add($"namespace name: backup {Show(snapshot.NamespaceName)}, here {Show(store.NamespaceName)}");
        }
        if (snapshot.NamespaceCookie is { } taken && store.NamespaceCookie is { } now && taken != now)
        {
            differences.Add($"namespace cookie: backup {taken}, here {now} (the same inode now names another namespace)");
        }
        if (differences.Count == 0)
        {
            return;
        }
        var what = string.Join("; ", differences);
        if (!Force)
        {
            ThrowTerminating(ErrorIds.TuningBackupScopeMismatch, ErrorCategory.InvalidOperation, path,
                $"{path} was taken elsewhere: {what}.", "Run it in the namespace the backup names, or add -Force to restore here anyway.");
        }
        WriteWarning($"-Force: restoring {path} although it was taken elsewhere: {what}.");
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s => $"'{s}'",
        _ => value.ToString()!,
    };

    private static bool Same(PersistedState a, PersistedState b) =>
        a.Existed == b.Existed && a.FinalNewline == b.FinalNewline && a.Settings.SequenceEqual(b.Settings);

    private void RestoreFile(Platform.ITunableStore store, TuningSnapshot snapshot, string path)
    {
        try
        {
            store.RestorePersisted(snapshot.Persisted);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowTerminating(ErrorIds.TuningPersistFailed, ErrorCategory.WriteError, store.PersistPath,
                $"The live values were restored, but {store.PersistPath} could not be: {e.Message}",
                $"Fix GoNetTools' keys in the file by hand from the PersistedSettings field of {path}.", e);
        }
        var now = store.ReadPersisted();
        if (snapshot.PersistedSha256 is { } before && now is not null && PersistedFileText.Hash(now) != before)
        {
            WriteWarning($"{store.PersistPath}: GoNetTools' keys are back to their previous values, but lines someone else changed since {path} was taken were kept, so the file is not byte for byte as it was.");
        }
    }
}
