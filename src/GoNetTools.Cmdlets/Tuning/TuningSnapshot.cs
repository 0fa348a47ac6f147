using System;
using System.Collections.Generic;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>
/// What a backup file holds: every settable tunable's value before a change, where it was taken (host, namespace
/// inode, name and cookie), and our keys in the persisted file as structured key/value pairs. Version 2; a
/// version 1 file (the persisted file kept as text) still restores live values, never its text.
/// </summary>
internal sealed class TuningSnapshot
{
    public const int CurrentVersion = 2;

    public int Version { get; set; } = CurrentVersion;
    public DateTime Time { get; set; }
    public string Host { get; set; } = "";
    public string Os { get; set; } = "";
    public string Scope { get; set; } = "";
    public ulong? NamespaceInode { get; set; }
    public string? NamespaceName { get; set; }
    /// <summary>SO_NETNS_COOKIE of the namespace (Linux 5.14+), never reused within a boot.</summary>
    public ulong? NamespaceCookie { get; set; }
    /// <summary>The command that took the snapshot, e.g. "Set-TcpTuning -Profile GoDev".</summary>
    public string Operation { get; set; } = "";
    /// <summary>Tunable name → value before the change; null means absent (restoring removes it).</summary>
    public Dictionary<string, string?> Values { get; set; } = new();
    /// <summary>Tunable name → OS key, for people reading the file.</summary>
    public Dictionary<string, string> Keys { get; set; } = new();
    public string? PersistPath { get; set; }
    /// <summary>Whether <see cref="PersistPath"/> existed (Undo removes it when it did not).</summary>
    public bool PersistedExisted { get; set; }
    /// <summary>Every assignment of a key GoNetTools may write, in file order, value as the file spelled it.</summary>
    public List<PersistedSetting> PersistedSettings { get; set; } = new();
    /// <summary>Whether the file ended with a newline.</summary>
    public bool PersistedFinalNewline { get; set; } = true;
    /// <summary>SHA-256 of the file's bytes: Undo says whether what it wrote back is byte for byte the same.</summary>
    public string? PersistedSha256 { get; set; }

    /// <summary>The persisted-file record as the stores take it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PersistedState Persisted => new(PersistedExisted, PersistedSettings, PersistedFinalNewline, PersistedSha256);
}
