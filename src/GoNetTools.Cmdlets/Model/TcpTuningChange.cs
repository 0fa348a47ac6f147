namespace GoNetTools;

/// <summary>What happened to a tunable in Set-TcpTuning or Undo-TcpTuning.</summary>
public enum TuningChangeStatus
{
    /// <summary>Written and in effect (or, with RequiresReboot, in effect after a restart).</summary>
    Applied,
    /// <summary>Already at the wanted value: nothing written.</summary>
    Unchanged,
    /// <summary>Declined at the -Confirm prompt.</summary>
    Declined,
    /// <summary>Was applied, then put back because a later change failed.</summary>
    RolledBack,
    /// <summary>This write failed.</summary>
    Failed,
    /// <summary>Not attempted because an earlier change failed.</summary>
    NotAttempted,
}

/// <summary>One tunable change record: old and new value, whether it was applied and persisted.</summary>
public sealed class TcpTuningChange
{
    /// <summary>Platform-neutral tunable name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The OS's own name.</summary>
    public string Key { get; init; } = "";
    /// <summary>Value before (null: absent).</summary>
    public string? OldValue { get; init; }
    /// <summary>Value asked for (null: remove, Windows only).</summary>
    public string? NewValue { get; init; }
    /// <summary>Outcome.</summary>
    public TuningChangeStatus Status { get; init; }
    /// <summary>True when the new value is in place now.</summary>
    public bool Applied { get; init; }
    /// <summary>True when the boot-time configuration now holds the new value.</summary>
    public bool Persisted { get; init; }
    /// <summary>The change takes effect only after a restart.</summary>
    public bool RequiresReboot { get; init; }
    /// <summary>Which stack was changed (network namespace on Linux).</summary>
    public string Scope { get; init; } = "";
    /// <summary>The snapshot taken before the change (Undo-TcpTuning -Backup takes it).</summary>
    public string? BackupPath { get; init; }
    /// <summary>Anything the user should know: a reboot, the failure that caused a rollback.</summary>
    public string? Note { get; init; }
}
