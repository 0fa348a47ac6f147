using System;
using System.Collections.Generic;
using GoNetTools.Tuning;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Platform;

/// <summary>
/// Reads and writes the OS's tunables: live values (Linux: /proc/sys of this network namespace; Windows: registry
/// and netsh; macOS: sysctl) and the boot-time configuration. One implementation per OS, chosen in
/// <see cref="PlatformServices"/>. Callers pass only catalog definitions, never free-form keys or paths.
/// </summary>
internal interface ITunableStore
{
    /// <summary>"linux", "windows" or "macos": the catalog's os field.</summary>
    string Os { get; }

    /// <summary>Which stack this reads and writes: the network namespace on Linux ("net:[inode] (name)"), "host" elsewhere.</summary>
    string Scope { get; }

    /// <summary>Namespace inode on Linux (null elsewhere or when unknown).</summary>
    ulong? NamespaceInode { get; }

    /// <summary>Namespace name from /run/netns on Linux, when it has one.</summary>
    string? NamespaceName { get; }

    /// <summary>
    /// The namespace's cookie on Linux 5.14+ (SO_NETNS_COOKIE): unique for the life of the boot and never reused,
    /// unlike the inode, which a new namespace can inherit from a deleted one. Null elsewhere.
    /// </summary>
    ulong? NamespaceCookie { get; }

    /// <summary>Canonical live value, or null when the OS does not have it (old kernel, registry value absent).</summary>
    string? ReadLive(TunableDefinition definition);

    /// <summary>What to show instead of a null live value: "not set (OS default)", "not available on this kernel".</summary>
    string DescribeAbsent(TunableDefinition definition);

    /// <summary>Writes a live value; null removes it where the catalog allows (Windows registry values).</summary>
    void WriteLive(TunableDefinition definition, string? value);

    /// <summary>Every assignment in the boot-time configuration, in the order the OS applies them.</summary>
    IReadOnlyList<ConfigSetting> ReadBootConfig();

    /// <summary>The file -Persist writes (only keys GoNetTools owns), or null when the OS keeps values itself (Windows).</summary>
    string? PersistPath { get; }

    /// <summary>Content of <see cref="PersistPath"/> now, or null when it does not exist.</summary>
    string? ReadPersisted();

    /// <summary>The keys the persisted file may hold for us, and their state now (what a backup records).</summary>
    PersistedState CapturePersisted();

    /// <summary>Keys a backup may name in its persisted-file record (empty where nothing is persisted).</summary>
    IReadOnlySet<string> PersistKeys { get; }

    /// <summary>
    /// Sets these values in the file in place (other lines, comments, order, mode and owner kept), under an
    /// exclusive lock, replaced atomically.
    /// </summary>
    void Persist(IReadOnlyDictionary<TunableDefinition, string> values);

    /// <summary>Puts our keys in the persisted file back as <paramref name="previous"/> recorded them (removes the file if it did not exist).</summary>
    void RestorePersisted(PersistedState previous);

    /// <summary>Test hook: a pause inside the persisted file's lock.</summary>
    TimeSpan PersistLockPause { get; set; }

    /// <summary>Where snapshots are kept.</summary>
    string BackupDirectory { get; }

    /// <summary>Why this process may not apply changes (not root / not Administrator), or null when it may.</summary>
    string? PrivilegeProblem();
}
