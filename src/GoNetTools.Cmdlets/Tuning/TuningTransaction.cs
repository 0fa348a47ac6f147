using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>One tunable to change: from what to what.</summary>
internal sealed record PlannedChange(TunableDefinition Definition, string? OldValue, string? NewValue);

/// <summary>What a transaction did: a record per change, and the failure that made it roll back (null on success).</summary>
internal sealed record TuningOutcome(IReadOnlyList<TcpTuningChange> Changes, GoNetToolsException? Failure);

/// <summary>
/// Applies approved changes all-or-nothing: if any write (or the persisted file) fails, every change already
/// made is written back to its old value, so the system is never left half-tuned.
/// </summary>
internal sealed class TuningTransaction
{
    private readonly ITunableStore _store;
    private readonly int? _failAtWrite;
    private int _writes;

    /// <param name="store">Where the values live.</param>
    /// <param name="failAtWrite">Test hook: make the Nth write (1-based) fail before it touches anything.</param>
    public TuningTransaction(ITunableStore store, int? failAtWrite)
    {
        _store = store;
        _failAtWrite = failAtWrite;
    }

    /// <param name="changes">Values to write, in order.</param>
    /// <param name="persist">Also write the persisted configuration (with -Persist).</param>
    /// <param name="backupPath">The snapshot taken before, quoted in every record.</param>
    /// <param name="alreadySet">Values already live that -Persist should still write to the boot configuration.</param>
    public TuningOutcome Apply(IReadOnlyList<PlannedChange> changes, bool persist, string? backupPath, IReadOnlyList<PlannedChange>? alreadySet = null)
    {
        alreadySet ??= Array.Empty<PlannedChange>();
        var applied = new List<PlannedChange>();
        GoNetToolsException? failure = null;
        PlannedChange? failed = null;
        foreach (var change in changes)
        {
            try
            {
                Write(change);
                applied.Add(change);
            }
            catch (Exception e) when (e is GoNetToolsException or IOException or UnauthorizedAccessException)
            {
                failure = AsFailure(e, change);
                failed = change;
                break;
            }
        }

        var persisted = false;
        if (failure is null && persist && _store.PersistPath is not null && applied.Count + alreadySet.Count > 0)
        {
            var previous = _store.CapturePersisted();
            try
            {
                _store.Persist(applied.Concat(alreadySet).Where(c => c.NewValue is not null).ToDictionary(c => c.Definition, c => c.NewValue!));
                persisted = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or GoNetToolsException)
            {
                failure = new GoNetToolsException(ErrorIds.TuningPersistFailed, FailureKind.OperationFailed,
                    $"Writing {_store.PersistPath} failed: {e.Message}. The live changes were rolled back.",
                    "Check that the folder is writable (root), then run again.", e);
                TryRestorePersisted(previous);
            }
        }

        var rollbackProblems = failure is null ? new List<string>() : RollBack(applied);
        var records = new List<TcpTuningChange>();
        var reached = true;
        foreach (var change in changes)
        {
            var status = failure is null ? TuningChangeStatus.Applied
                : ReferenceEquals(change, failed) ? TuningChangeStatus.Failed
                : reached && applied.Contains(change) ? TuningChangeStatus.RolledBack
                : TuningChangeStatus.NotAttempted;
            if (ReferenceEquals(change, failed))
            {
                reached = false;
            }
            records.Add(Record(change, status, persisted || (failure is null && _store.PersistPath is null), backupPath,
                status == TuningChangeStatus.Failed ? failure!.Message : null));
        }
        foreach (var change in alreadySet)
        {
            records.Add(Record(change, TuningChangeStatus.Unchanged, persisted, backupPath, null));
        }
        if (rollbackProblems.Count > 0)
        {
            failure = new GoNetToolsException(ErrorIds.TuningRollbackFailed, FailureKind.OperationFailed,
                $"{failure!.Message} Restoring failed too for: {string.Join("; ", rollbackProblems)}.",
                $"Restore these by hand, or run Undo-TcpTuning -Backup '{backupPath}'.", failure);
        }
        return new TuningOutcome(records, failure);
    }

    /// <summary>A record for a change that was not attempted (unchanged, declined).</summary>
    public TcpTuningChange Record(PlannedChange change, TuningChangeStatus status, bool persisted, string? backupPath, string? note)
    {
        var reboot = change.Definition.RequiresReboot;
        var notes = new List<string>();
        if (note is not null) notes.Add(note);
        if (reboot && status == TuningChangeStatus.Applied) notes.Add("Takes effect after a restart.");
        return new TcpTuningChange
        {
            Name = change.Definition.Name,
            Key = change.Definition.Key,
            OldValue = change.OldValue,
            NewValue = change.NewValue,
            Status = status,
            Applied = status == TuningChangeStatus.Applied,
            Persisted = persisted && status is TuningChangeStatus.Applied or TuningChangeStatus.Unchanged,
            RequiresReboot = reboot,
            Scope = _store.Scope,
            BackupPath = backupPath,
            Note = notes.Count == 0 ? null : string.Join(" ", notes),
        };
    }

    private void Write(PlannedChange change)
    {
        _writes++;
        if (_failAtWrite == _writes)
        {
            throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
                $"Write {_writes} ({change.Definition.Key}) failed on purpose: the $GoNetToolsTuningFailAt test hook is set.");
        }
        _store.WriteLive(change.Definition, change.NewValue);
    }

    private List<string> RollBack(List<PlannedChange> applied)
    {
        var problems = new List<string>();
        for (var i = applied.Count - 1; i >= 0; i--)
        {
            var change = applied[i];
            try
            {
                _store.WriteLive(change.Definition, change.OldValue);
            }
            catch (Exception e) when (e is GoNetToolsException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{change.Definition.Key} (should be {change.OldValue ?? "absent"}): {e.Message}");
            }
        }
        return problems;
    }

    private void TryRestorePersisted(PersistedState previous)
    {
        try
        {
            _store.RestorePersisted(previous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GoNetToolsException)
        {
            // The write that failed is atomic, so the old file is normally still intact; nothing more to do.
        }
    }

    private static GoNetToolsException AsFailure(Exception e, PlannedChange change) => e switch
    {
        GoNetToolsException g => new GoNetToolsException(g.ErrorId, g.Kind,
            $"Setting {change.Definition.Key} to {change.NewValue ?? "(removed)"} failed: {g.Message} Every change already made was put back.",
            g.RecommendedAction, g),
        UnauthorizedAccessException => new GoNetToolsException(ErrorIds.TuningRequiresRoot, FailureKind.PermissionDenied,
            $"Setting {change.Definition.Key} was refused: {e.Message} Every change already made was put back.", "Run as root / Administrator.", e),
        _ => new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
            $"Setting {change.Definition.Key} to {change.NewValue} failed: {e.Message} Every change already made was put back.", null, e),
    };
}
