using System;
using System.Collections.Generic;

namespace GoNetTools.Foundation.Tunables;

/// <summary>
/// The persisted-file half of a tunable store whose boot configuration is a sysctl-style file (Linux, macOS): one
/// <see cref="PersistedConfigFile"/> behind the ITunableStore members that read, record and restore it.
/// </summary>
internal abstract class PersistedFileStore
{
    private protected PersistedFileStore(PersistedConfigFile file) => BootFile = file;

    private protected PersistedConfigFile BootFile { get; }

    public string? ReadPersisted() => BootFile.Read();

    public PersistedState CapturePersisted() => BootFile.Capture();

    public IReadOnlySet<string> PersistKeys => BootFile.OwnedKeys;

    public TimeSpan PersistLockPause
    {
        get => BootFile.LockPause;
        set => BootFile.LockPause = value;
    }

    public void RestorePersisted(PersistedState previous) => BootFile.Restore(previous);
}
