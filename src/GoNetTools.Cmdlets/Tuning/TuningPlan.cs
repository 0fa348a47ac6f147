using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>
/// What a tuning run needs from its caller: approval per change (ShouldProcess), the output and message streams, and
/// the error records that end the run. The cmdlet implements it; this area never sees a PowerShell type.
/// </summary>
internal interface ITuningHost
{
    /// <summary>-WhatIf was given: declined changes are previews, not refusals.</summary>
    bool WhatIf { get; }

    /// <summary>ShouldProcess(target, action): false under -WhatIf or when the user says no to -Confirm.</summary>
    bool ShouldProcess(string target, string action);

    void Warning(string text);

    void Verbose(string text);

    void Output(object item);

    /// <summary>Ends the run with <paramref name="problem"/>'s id and kind; does not return.</summary>
    void Stop(GoNetToolsException problem, object? target);

    /// <summary>Ends the run with a write failure (<paramref name="errorId"/>, WriteError); does not return.</summary>
    void StopWriteFailed(string errorId, object? target, string message, string recommendedAction, Exception inner);

    /// <summary>Ends the run with a failed transaction, after everything it wrote was put back; does not return.</summary>
    void Failed(GoNetToolsException failure, object? target);
}

/// <summary>
/// Set-TcpTuning's and Undo-TcpTuning's workflow: plan (read and validate every value before anything is touched),
/// approve (ShouldProcess per tunable, the action text written here once), then check privilege, snapshot and apply
/// all-or-nothing through <see cref="TuningTransaction"/>.
/// </summary>
internal sealed class TuningPlan
{
    private readonly TuningInventory _inventory;
    private readonly ITunableStore _store;
    private readonly TuningTransaction _transaction;
    private readonly ITuningHost _host;

    public TuningPlan(TuningInventory inventory, int? failAt, ITuningHost host)
    {
        _inventory = inventory;
        _store = inventory.Store;
        _transaction = new TuningTransaction(_store, failAt);
        _host = host;
    }

    /// <summary>Set-TcpTuning: each (tunable, wanted value) validated, approved and applied as one transaction.</summary>
    public void Set(IReadOnlyList<(TunableDefinition Definition, string? Value)> requests, bool persist, bool passThru, string operation)
    {
        var planned = new List<PlannedChange>();
        foreach (var (definition, value) in requests)
        {
            var current = _store.ReadLive(definition);
            if (current is null && !definition.UnsetAllowed)
            {
                _host.Warning($"{definition.Key} is {_store.DescribeAbsent(definition)}; skipped.");
                continue;
            }
            planned.Add(new PlannedChange(definition, current, Validate(definition, value, current)));
        }

        // Values already in place are not written (but -Persist still records them).
        var approved = new List<PlannedChange>();
        var unchanged = new List<PlannedChange>();
        foreach (var change in planned)
        {
            if (string.Equals(change.OldValue, change.NewValue, StringComparison.Ordinal))
            {
                _host.Verbose($"{change.Definition.Key} is already {change.NewValue ?? "(not set)"}.");
                unchanged.Add(change);
            }
            else if (Approve(change, "Set"))
            {
                approved.Add(change);
            }
            else if (!_host.WhatIf)
            {
                _host.Output(_transaction.Record(change, TuningChangeStatus.Declined, false, null, null));
            }
        }
        persist = persist && _store.PersistPath is not null && approved.Count + unchanged.Count > 0
            && _host.ShouldProcess(_store.PersistPath, $"Write {approved.Count + unchanged.Count} setting(s) GoNetTools owns (atomic replace)");
        if (approved.Count == 0 && !persist)
        {
            if (!_host.WhatIf)
            {
                foreach (var change in unchanged)
                {
                    _host.Output(_transaction.Record(change, TuningChangeStatus.Unchanged, false, null, null));
                }
            }
            return;
        }
        RequirePrivilege(_store.Scope, "Run it again as root / Administrator; preview with -WhatIf meanwhile.");
        if (!Apply(approved, persist, SaveBackup(operation), unchanged, _store.Scope))
        {
            return;
        }
        if (passThru)
        {
            var boot = _inventory.EffectiveBootConfig();
            foreach (var change in approved)
            {
                _host.Output(_inventory.Describe(change.Definition, boot, null));
            }
        }
    }

    /// <summary>
    /// Undo-TcpTuning's live values: every tunable of <paramref name="snapshot"/> that differs now, approved and put back as
    /// one transaction. <paramref name="restoreFile"/> (asked after the values were approved) says whether the persisted file
    /// goes back too; true when the caller is to restore it now.
    /// </summary>
    public bool Restore(string path, TuningSnapshot snapshot, Func<bool> restoreFile)
    {
        var approved = new List<PlannedChange>();
        foreach (var (name, value) in snapshot.Values)
        {
            var definition = _inventory.Find(name)!; // the reader accepted only catalog names of this OS
            var current = _store.ReadLive(definition);
            if (!string.Equals(current, value, StringComparison.Ordinal) && Approve(new PlannedChange(definition, current, value), "Restore"))
            {
                approved.Add(new PlannedChange(definition, current, value));
            }
        }
        if (snapshot.Version == 1)
        {
            _host.Warning($"{path} is a version 1 backup: it keeps the persisted file as text, which is never replayed. Only live values are restored.");
        }
        var file = restoreFile();
        if (approved.Count == 0 && !file)
        {
            return false;
        }
        RequirePrivilege(path, "Run it again as root / Administrator.");
        return Apply(approved, persist: false, backupPath: path, alreadySet: null, failureTarget: path) && file;
    }

    /// <summary>The one action text ShouldProcess shows for a tunable ("Set from 1 to 2", "Restore from …").</summary>
    private bool Approve(PlannedChange change, string verb) =>
        _host.ShouldProcess($"{change.Definition.Key} ({change.Definition.Name}) in {_store.Scope}",
            $"{verb} from {change.OldValue ?? "(not set)"} to {change.NewValue ?? "(not set: OS default)"}"
            + (change.Definition.RequiresReboot ? " (takes effect after a restart)" : ""));

    private void RequirePrivilege(object target, string recommendedAction)
    {
        if (_store.PrivilegeProblem() is { } problem)
        {
            _host.Stop(new GoNetToolsException(ErrorIds.TuningRequiresRoot, FailureKind.PermissionDenied, problem, recommendedAction), target);
        }
    }

    private bool Apply(List<PlannedChange> approved, bool persist, string backupPath, IReadOnlyList<PlannedChange>? alreadySet, object failureTarget)
    {
        var outcome = _transaction.Apply(approved, persist, backupPath, alreadySet);
        foreach (var record in outcome.Changes)
        {
            _host.Output(record);
        }
        if (outcome.Failure is { } failure)
        {
            _host.Failed(failure, failureTarget);
            return false;
        }
        return true;
    }

    private string? Validate(TunableDefinition definition, string? value, string? current)
    {
        try
        {
            return TunableValue.Validate(definition, value, current);
        }
        catch (GoNetToolsException e)
        {
            _host.Stop(e, value);
            throw;
        }
    }

    private string SaveBackup(string operation)
    {
        try
        {
            return new TuningBackupStore(_store, _inventory.Catalog).Save(_inventory.Snapshot(operation));
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.RuntimeDirectoryUnsafe)
        {
            _host.Stop(e, _store.BackupDirectory);
            throw;
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            _host.StopWriteFailed(ErrorIds.TuningBackupFailed, _store.BackupDirectory,
                $"Could not write the snapshot to {_store.BackupDirectory}: {e.Message}. Nothing was changed.",
                "Make the backup folder writable, then run again.", e);
            throw;
        }
    }

    /// <summary>Exceptions reading or writing files that a tuning run turns into error records.</summary>
    public static bool IsIoFailure(Exception e) => e is IOException or UnauthorizedAccessException;
}
