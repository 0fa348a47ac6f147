using System;
using System.Collections;

namespace GoNetTools;

/// <summary>A snapshot Set-TcpTuning took before changing anything; Undo-TcpTuning restores it.</summary>
public sealed class TcpTuningBackup
{
    /// <summary>The backup file.</summary>
    public string Path { get; init; } = "";
    /// <summary>When it was taken (UTC).</summary>
    public DateTime Time { get; init; }
    /// <summary>Host name.</summary>
    public string Host { get; init; } = "";
    /// <summary>Network namespace on Linux ("net:[inode] (name)"), "host" elsewhere.</summary>
    public string Scope { get; init; } = "";
    /// <summary>Network namespace inode (Linux).</summary>
    public ulong? NamespaceInode { get; init; }
    /// <summary>Network namespace name (Linux, when it has one).</summary>
    public string? NamespaceName { get; init; }
    /// <summary>Network namespace cookie (Linux 5.14+): tells apart namespaces that reused an inode.</summary>
    public ulong? NamespaceCookie { get; init; }
    /// <summary>Backup format version (2; 1 restores live values only).</summary>
    public int Version { get; init; }
    /// <summary>The command that took it.</summary>
    public string Operation { get; init; } = "";
    /// <summary>Tunable name → value at the time (null: absent).</summary>
    public Hashtable Values { get; init; } = new();
    /// <summary>The persisted file whose previous content is kept.</summary>
    public string? PersistPath { get; init; }
    /// <summary>Whether that file existed then (Undo deletes it when it did not).</summary>
    public bool PersistedExisted { get; init; }
}
