using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace GoNetTools.Core.Tuning;

/// <summary>What a backup file holds: every settable tunable's value before a change, and our persisted file.</summary>
internal sealed class TuningSnapshot
{
    public int Version { get; set; } = 1;
    public DateTime Time { get; set; }
    public string Host { get; set; } = "";
    public string Os { get; set; } = "";
    public string Scope { get; set; } = "";
    public ulong? NamespaceInode { get; set; }
    public string? NamespaceName { get; set; }
    /// <summary>The command that took the snapshot, e.g. "Set-TcpTuning -Profile GoDev".</summary>
    public string Operation { get; set; } = "";
    /// <summary>Tunable name → value before the change; null means absent (restoring removes it).</summary>
    public Dictionary<string, string?> Values { get; set; } = new();
    /// <summary>Tunable name → OS key, for people reading the file.</summary>
    public Dictionary<string, string> Keys { get; set; } = new();
    public string? PersistPath { get; set; }
    /// <summary>Content of <see cref="PersistPath"/> before the change; null when the file did not exist.</summary>
    public string? PersistedPrevious { get; set; }
}

/// <summary>Snapshot files in one folder: tuning-yyyyMMddTHHmmssfffZ.json, written atomically, newest first.</summary>
internal sealed class TuningBackupStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public TuningBackupStore(string directory) => Directory = directory;

    public string Directory { get; }

    public string Save(TuningSnapshot snapshot)
    {
        var stamp = snapshot.Time.ToUniversalTime().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(Directory, $"tuning-{stamp}.json");
        for (var n = 1; File.Exists(path); n++)
        {
            path = Path.Combine(Directory, $"tuning-{stamp}-{n}.json");
        }
        AtomicFile.Write(path, JsonSerializer.Serialize(snapshot, Json));
        return path;
    }

    /// <summary>Backup files, newest first (names sort by time).</summary>
    public IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "tuning-*.json").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).ToList()
            : Array.Empty<string>();

    public static TuningSnapshot Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GoNetToolsException(ErrorIds.TuningBackupNotFound, FailureKind.ObjectNotFound,
                $"No tuning backup at {path}.", "List the backups with Get-TcpTuningBackup.");
        }
        try
        {
            var snapshot = JsonSerializer.Deserialize<TuningSnapshot>(File.ReadAllText(path), Json);
            if (snapshot is null || snapshot.Version != 1 || snapshot.Os.Length == 0)
            {
                throw new JsonException("not a version 1 tuning snapshot");
            }
            return snapshot;
        }
        catch (JsonException e)
        {
            throw new GoNetToolsException(ErrorIds.TuningBackupInvalid, FailureKind.InvalidData,
                $"{path} is not a GoNetTools tuning backup: {e.Message}", "Pass a file listed by Get-TcpTuningBackup.", e);
        }
    }
}
