using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using GoNetTools.Tuning;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Linux tunables. Live values are /proc/sys files under <c>systemRoot</c> ("/" live: they belong to this
/// process's network namespace). Boot-time configuration, our persisted file and backups live under
/// <c>configRoot</c> (normally "/" too; tests point it at a temp folder while /proc/sys stays live).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxTunableStore : PersistedFileStore, ITunableStore
{
    /// <summary>The file -Persist owns. "90-" sorts after distribution files (10-, 50-) so ours win at boot.</summary>
    public const string PersistRelativePath = "etc/sysctl.d/90-gonettools.conf";

    /// <summary>sysctl --system's directories, first one wins for a file name (procps and systemd-sysctl agree).</summary>
    private static readonly string[] ConfigDirectories =
        { "etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d", "usr/lib/sysctl.d", "lib/sysctl.d" };

    private readonly string _systemRoot;
    private readonly string _configRoot;

    public LinuxTunableStore(string systemRoot, string configRoot) : base(PersistedFile(configRoot))
    {
        _systemRoot = systemRoot;
        _configRoot = configRoot;
        Scope = NetworkNamespace.Describe(systemRoot);
        (NamespaceInode, NamespaceName) = ParseScope(Scope);
        NamespaceCookie = systemRoot == "/" ? NetworkNamespace.Cookie() : null;
    }

    private static PersistedConfigFile PersistedFile(string configRoot) =>
        new(Path.Combine(configRoot, PersistRelativePath), Path.Combine(configRoot, "var", "lib", "gonettools", "persist.lock"),
            new PersistStyle(" = ", "Written by GoNetTools Set-TcpTuning -Persist. Undo-TcpTuning restores the previous content.\n" +
                "Only keys GoNetTools owns are here; see Get-Help Set-TcpTuning for what each one does.", null, null),
            new HashSet<string>(TunableCatalog.Instance.For("linux").Select(d => d.Key), StringComparer.Ordinal));

    public string Os => "linux";

    public string Scope { get; }

    public ulong? NamespaceInode { get; }

    public string? NamespaceName { get; }

    public ulong? NamespaceCookie { get; }

    public string? PersistPath => Path.Combine(_configRoot, PersistRelativePath);

    public string BackupDirectory => Path.Combine(StateDirectory, "backups");

    /// <summary>/var/lib/gonettools: backups and the persisted file's lock (persist.lock), root's alone (0700).</summary>
    private string StateDirectory => Path.Combine(_configRoot, "var", "lib", "gonettools");

    public string? ReadLive(TunableDefinition definition)
    {
        var path = ProcPath(definition);
        return File.Exists(path) ? TunableValue.Clean(File.ReadAllText(path)) : null;
    }

    public string DescribeAbsent(TunableDefinition definition) => "not available on this kernel";

    public void WriteLive(TunableDefinition definition, string? value)
    {
        var path = ProcPath(definition);
        if (value is null || !File.Exists(path))
        {
            throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
                $"{definition.Key} cannot be written: {(value is null ? "it has no 'unset' state" : "this kernel does not have it")}.");
        }
        try
        {
            // O_TRUNC and one write, as sysctl(8) does; the kernel validates and may answer EINVAL.
            using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write);
            var bytes = System.Text.Encoding.ASCII.GetBytes(value + "\n");
            stream.Write(bytes);
            stream.Flush();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GoNetToolsException(ErrorIds.TuningRequiresRoot, FailureKind.PermissionDenied,
                $"Writing {definition.Key} was refused: {e.Message}", RootAdvice, e);
        }
        catch (IOException e)
        {
            throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
                $"The kernel refused {definition.Key} = {value}: {e.Message}", "Check the value against Get-Help Set-TcpTuning.", e);
        }
    }

    public IReadOnlyList<ConfigSetting> ReadBootConfig()
    {
        var chosen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in ConfigDirectories)
        {
            var full = Path.Combine(_configRoot, directory);
            if (!Directory.Exists(full))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(full, "*.conf"))
            {
                chosen.TryAdd(Path.GetFileName(file), file);
            }
        }
        var settings = new List<ConfigSetting>();
        foreach (var file in chosen.Values)
        {
            settings.AddRange(SysctlConfig.Parse(Display(file), File.ReadAllText(file)));
        }
        var legacy = Path.Combine(_configRoot, "etc", "sysctl.conf");
        if (File.Exists(legacy))
        {
            settings.AddRange(SysctlConfig.Parse(Display(legacy), File.ReadAllText(legacy)));
        }
        return settings;
    }

    public void Persist(IReadOnlyDictionary<TunableDefinition, string> values) =>
        BootFile.Set(values.ToDictionary(v => v.Key.Key, v => v.Value, StringComparer.Ordinal));

    public string? PrivilegeProblem() =>
        _systemRoot == "/" && !Environment.IsPrivilegedProcess ? "Changing kernel tunables needs root. " + RootAdvice : null;

    private const string RootAdvice = "Run as root: sudo gonettools -Command 'Set-TcpTuning ...', or start pwsh with sudo. -WhatIf works without root.";

    /// <summary>Only catalog keys reach here ("net.ipv4.tcp_tw_reuse" → proc/sys/net/ipv4/tcp_tw_reuse).</summary>
    private string ProcPath(TunableDefinition definition) =>
        Path.Combine(_systemRoot, "proc", "sys", Path.Combine(definition.Key.Split('.')));

    /// <summary>Paths as the OS sees them (/etc/sysctl.d/x.conf), not the test root's prefix.</summary>
    private string Display(string file) =>
        _configRoot == "/" ? file : "/" + Path.GetRelativePath(_configRoot, file);

    private static (ulong?, string?) ParseScope(string scope)
    {
        var open = scope.IndexOf("net:[", StringComparison.Ordinal);
        var close = scope.IndexOf(']', StringComparison.Ordinal);
        ulong? inode = open >= 0 && close > open && ulong.TryParse(scope[(open + 5)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var paren = scope.IndexOf(" (", StringComparison.Ordinal);
        string? name = paren > 0 && scope.EndsWith(')') ? scope[(paren + 2)..^1] : null;
        return (inode, name);
    }
}
