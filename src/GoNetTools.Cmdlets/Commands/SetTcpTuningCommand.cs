using System;
using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Core.Tuning;

namespace GoNetTools.Commands;

/// <summary>
/// Set-TcpTuning: applies a profile, one -Name/-Value, or piped TcpTunable objects as one transaction. It
/// validates everything first, asks ShouldProcess per tunable, snapshots every tunable to a backup file,
/// then writes; if any write fails, those already made are restored and the failure is reported.
/// </summary>
[Cmdlet(VerbsCommon.Set, "TcpTuning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(TcpTuningChange), typeof(TcpTunable))]
public sealed class SetTcpTuningCommand : TuningCmdletBase
{
    private const string ProfileSet = "Profile";
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";

    /// <summary>Profile to apply (GoDev, Default): every value it sets for this OS.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProfileSet)]
    [ArgumentCompleter(typeof(TuningProfileCompleter))]
    [ValidateNotNullOrEmpty]
    public string Profile { get; set; } = "";

    /// <summary>One tunable by catalog name or OS key. Anything else (a path, an unknown key) is refused.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(TunableNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The value for -Name: an integer, 'start end' or @(start, end) for port ranges, $null to remove (Windows TimedWaitDelay).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [AllowNull]
    [AllowEmptyString]
    public object? Value { get; set; }

    /// <summary>TcpTunable objects (from Get-TcpTuning): each gets its ProfileValue when it has one, else its Value.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
    public TcpTunable[] InputObject { get; set; } = Array.Empty<TcpTunable>();

    /// <summary>Also write the boot-time configuration (Linux /etc/sysctl.d/90-gonettools.conf, macOS /etc/sysctl.conf block).</summary>
    [Parameter]
    public SwitchParameter Persist { get; set; }

    /// <summary>Also write the resulting TcpTunable objects.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private TuningInventory? _inventory;
    private readonly List<(TunableDefinition Definition, string? Value)> _requests = new();

    /// <inheritdoc />
    protected override void BeginProcessing() => _inventory = OpenInventory();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var inventory = _inventory!;
        if (ParameterSetName == ProfileSet)
        {
            var profile = ResolveProfile(Profile);
            foreach (var (definition, wanted) in inventory.Catalog.ValuesFor(profile, inventory.Store.Os))
            {
                _requests.Add((definition, wanted.Value));
            }
        }
        else if (ParameterSetName == NameSet)
        {
            var definition = Lookup(Name);
            _requests.Add((definition, TunableValue.FromObject(Unwrap(Value), definition.Type)));
        }
        else
        {
            foreach (var tunable in InputObject)
            {
                var definition = Lookup(tunable.Name);
                _requests.Add((definition, tunable.InProfile ? tunable.ProfileValue : tunable.Value));
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var inventory = _inventory!;
        var store = inventory.Store;
        var transaction = new TuningTransaction(store, FailAt);
        GuardedTuning(() =>
        {
            // 1. Validate every value before anything is touched.
            var planned = new List<PlannedChange>();
            foreach (var (definition, value) in _requests)
            {
                var current = store.ReadLive(definition);
                if (current is null && !definition.UnsetAllowed)
                {
                    WriteWarning($"{definition.Key} is {store.DescribeAbsent(definition)}; skipped.");
                    continue;
                }
                var canonical = Validate(definition, value, current);
                planned.Add(new PlannedChange(definition, current, canonical));
            }

            // 2. ShouldProcess per tunable; values already in place are not written (but -Persist still records them).
            var approved = new List<PlannedChange>();
            var unchanged = new List<PlannedChange>();
            var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
            foreach (var change in planned)
            {
                if (string.Equals(change.OldValue, change.NewValue, StringComparison.Ordinal))
                {
                    WriteVerbose($"{change.Definition.Key} is already {change.NewValue ?? "(not set)"}.");
                    unchanged.Add(change);
                }
                else if (ShouldProcess($"{change.Definition.Key} ({change.Definition.Name}) in {store.Scope}", Action(change)))
                {
                    approved.Add(change);
                }
                else if (!whatIf)
                {
                    WriteObject(transaction.Record(change, TuningChangeStatus.Declined, false, null, null));
                }
            }
            var persist = Persist.IsPresent && store.PersistPath is not null && approved.Count + unchanged.Count > 0
                && ShouldProcess(store.PersistPath, $"Write {approved.Count + unchanged.Count} setting(s) GoNetTools owns (atomic replace)");
            if (approved.Count == 0 && !persist)
            {
                if (!whatIf)
                {
                    foreach (var change in unchanged)
                    {
                        WriteObject(transaction.Record(change, TuningChangeStatus.Unchanged, false, null, null));
                    }
                }
                return;
            }

            // 3. Root, snapshot, apply all-or-nothing.
            if (store.PrivilegeProblem() is { } problem)
            {
                ThrowTerminating(ErrorIds.TuningRequiresRoot, ErrorCategory.PermissionDenied, store.Scope, problem,
                    "Run it again as root / Administrator; preview with -WhatIf meanwhile.");
            }
            var backupPath = SaveBackup(inventory, Operation());
            var outcome = transaction.Apply(approved, persist, backupPath, unchanged);
            foreach (var record in outcome.Changes)
            {
                WriteObject(record);
            }
            if (outcome.Failure is { } failure)
            {
                ThrowTransactionFailure(failure, store.Scope);
            }
            if (PassThru)
            {
                var boot = inventory.EffectiveBootConfig();
                foreach (var change in approved)
                {
                    WriteObject(inventory.Describe(change.Definition, boot, null));
                }
            }
        }, null);
    }

    private TunableDefinition Lookup(string name)
    {
        var definition = _inventory!.Find(name);
        if (definition is null)
        {
            ThrowTerminating(ErrorIds.UnknownTunable, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a tunable GoNetTools can set on this OS; only catalog names are accepted, never paths or other keys.",
                "Run Get-TcpTuning for the list, or press Tab after -Name.");
        }
        return definition!;
    }

    private string? Validate(TunableDefinition definition, string? value, string? current)
    {
        try
        {
            return TunableValue.Validate(definition, value, current);
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, value);
            throw;
        }
    }

    private static string Action(PlannedChange change) =>
        $"Set from {change.OldValue ?? "(not set)"} to {change.NewValue ?? "(not set: OS default)"}"
        + (change.Definition.RequiresReboot ? " (takes effect after a restart)" : "");

    private string SaveBackup(TuningInventory inventory, string operation)
    {
        try
        {
            return new TuningBackupStore(inventory.Store, inventory.Catalog).Save(inventory.Snapshot(operation));
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.RuntimeDirectoryUnsafe)
        {
            ThrowTerminating(e, inventory.Store.BackupDirectory);
            throw;
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            ThrowTerminating(ErrorIds.TuningBackupFailed, ErrorCategory.WriteError, inventory.Store.BackupDirectory,
                $"Could not write the snapshot to {inventory.Store.BackupDirectory}: {e.Message}. Nothing was changed.",
                "Make the backup folder writable, then run again.", e);
            throw;
        }
    }

    private string Operation() => ParameterSetName switch
    {
        ProfileSet => $"Set-TcpTuning -Profile {Profile}",
        NameSet => $"Set-TcpTuning -Name {Name}",
        _ => "Set-TcpTuning -InputObject",
    } + (Persist ? " -Persist" : "");

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
