using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation;

namespace GoNetTools.Foundation.Tunables;

/// <summary>
/// The boot-time file -Persist writes (Linux /etc/sysctl.d/90-gonettools.conf, the macOS /etc/sysctl.conf block):
/// every read-modify-replace runs under an exclusive flock, so two Set-TcpTuning runs never lose each other's
/// keys; the replacement is atomic and keeps the file's mode and owner (see <see cref="AtomicFile"/>).
/// </summary>
internal sealed class PersistedConfigFile
{
    /// <summary>How long a run waits for another one's lock before giving up.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _lockPath;
    private readonly PersistStyle _style;

    public PersistedConfigFile(string path, string lockPath, PersistStyle style, IReadOnlySet<string> ownedKeys)
    {
        Path = path;
        _lockPath = lockPath;
        _style = style;
        OwnedKeys = ownedKeys;
    }

    public string Path { get; }

    /// <summary>Keys GoNetTools may write here; a backup records and restores only these.</summary>
    public IReadOnlySet<string> OwnedKeys { get; }

    /// <summary>Test hook: how long to wait inside the lock, between reading and replacing (forces two runs to overlap).</summary>
    public TimeSpan LockPause { get; set; }

    public string? Read() => AtomicFile.ReadText(Path);

    public PersistedState Capture() => PersistedFileText.Capture(Read(), OwnedKeys);

    public void Set(IReadOnlyDictionary<string, string> values) => Update(text => PersistedFileText.Apply(text, values, _style));

    public void Restore(PersistedState previous) => Update(text => PersistedFileText.Restore(text, previous, OwnedKeys, _style));

    private void Update(Func<string?, string?> change)
    {
        using var held = FileLock.Acquire(_lockPath, LockTimeout);
        var text = Read();
        if (LockPause > TimeSpan.Zero)
        {
            Thread.Sleep(LockPause);
        }
        var next = change(text);
        if (next is null)
        {
            File.Delete(Path);
        }
        else if (!string.Equals(next, text, StringComparison.Ordinal))
        {
            AtomicFile.Write(Path, next, NewFileMode);
        }
    }
}
