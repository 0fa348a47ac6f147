using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using GoNetTools.Foundation.Files;
using GoNetTools.Platform;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>A backup that could not be used, and why (TuningBackupInvalid, NotARegularFile…).</summary>
internal sealed record RejectedBackup(string Path, GoNetToolsException Reason);

/// <summary>
/// Snapshot files in one folder (root's alone: 0700, files 0600): tuning-yyyyMMddTHHmmssfffZ.json, written
/// atomically, listed newest first. Every file is read as untrusted input (<see cref="TuningBackupReader"/>).
/// </summary>
internal sealed class TuningBackupStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly ITunableStore _store;
    private readonly TunableCatalog _catalog;

    public TuningBackupStore(ITunableStore store, TunableCatalog catalog)
    {
        _store = store;
        _catalog = catalog;
    }

    public string Directory => _store.BackupDirectory;

    public string Save(TuningSnapshot snapshot)
    {
        PrivateDirectory.EnsureOwned(Directory);
        var stamp = snapshot.Time.ToUniversalTime().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(Directory, $"tuning-{stamp}.json");
        for (var n = 1; File.Exists(path); n++)
        {
            path = Path.Combine(Directory, $"tuning-{stamp}-{n}.json");
        }
        AtomicFile.Write(path, JsonSerializer.Serialize(snapshot, Json), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Backup files, newest first (names sort by time).</summary>
    public IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "tuning-*.json").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).ToList()
            : Array.Empty<string>();

    /// <summary>
    /// The one -Latest rule (Get-TcpTuningBackup and Undo-TcpTuning): the newest backup that passes validation; the
    /// newer ones that do not are returned as rejected, so the caller reports each.
    /// </summary>
    public (string Path, TuningSnapshot Snapshot)? Latest(List<RejectedBackup> rejected)
    {
        foreach (var path in List())
        {
            if (TryLoad(path, out var snapshot, out var reason))
            {
                return (path, snapshot!);
            }
            rejected.Add(new RejectedBackup(path, reason!));
        }
        return null;
    }

    public bool TryLoad(string path, out TuningSnapshot? snapshot, out GoNetToolsException? reason)
    {
        try
        {
            snapshot = Load(path);
            reason = null;
            return true;
        }
        catch (GoNetToolsException e)
        {
            snapshot = null;
            reason = e;
            return false;
        }
    }

    /// <summary>Reads and validates one backup; TuningBackupNotFound, NotARegularFile or TuningBackupInvalid otherwise.</summary>
    public TuningSnapshot Load(string path)
    {
        var facts = RegularFile.Facts(path);
        if (facts.Kind == FileKind.Missing)
        {
            throw new GoNetToolsException(ErrorIds.TuningBackupNotFound, FailureKind.ObjectNotFound,
                $"No tuning backup at {path}.", "List the backups with Get-TcpTuningBackup.");
        }
        if (!OperatingSystem.IsWindows() && facts.Kind == FileKind.Regular
            && (facts.WritableByOthers || (facts.Owner != 0 && facts.Owner != PosixFiles.EffectiveUserId())))
        {
            throw new GoNetToolsException(ErrorIds.TuningBackupInvalid, FailureKind.InvalidData,
                $"{path} is not a trustworthy tuning backup: it {(facts.WritableByOthers ? $"is writable by other users (mode {Convert.ToString(facts.Mode, 8)})" : $"belongs to uid {facts.Owner}")}. Nothing was restored from it.",
                "Use a backup Set-TcpTuning wrote (mode 0600, owned by root).");
        }
        string text;
        try
        {
            text = RegularFile.ReadAllText(path, TuningBackupReader.MaxBytes);
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.NotARegularFile && e.Kind == FailureKind.InvalidData)
        {
            throw new GoNetToolsException(ErrorIds.TuningBackupInvalid, FailureKind.InvalidData, e.Message, e.RecommendedAction, e);
        }
        return TuningBackupReader.Read(path, text, _catalog, _store.PersistPath, _store.PersistKeys);
    }
}
