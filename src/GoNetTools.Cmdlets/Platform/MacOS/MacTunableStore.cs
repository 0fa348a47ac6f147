using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Tuning;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// macOS tunables through sysctl(8): net.inet.tcp.msl (TIME_WAIT = 2 x msl) and net.inet.ip.portrange.first/last.
/// -Persist keeps a marked block in /etc/sysctl.conf (under configRoot) and touches no other line.
/// </summary>
internal sealed class MacTunableStore : PersistedFileStore, ITunableStore
{
    public const string BlockBegin = "# BEGIN GoNetTools (Set-TcpTuning -Persist; Undo-TcpTuning restores)";
    public const string BlockEnd = "# END GoNetTools";

    private readonly ICommandRunner _sysctl;
    private readonly string _configRoot;

    public MacTunableStore(ICommandRunner sysctl, string configRoot) : base(new PersistedConfigFile(Path.Combine(configRoot, "etc", "sysctl.conf"),
        Path.Combine(configRoot, "var", "db", "gonettools", "persist.lock"), new PersistStyle("=", null, BlockBegin, BlockEnd),
        new HashSet<string>(TunableCatalog.Instance.For("macos").SelectMany(Keys), StringComparer.Ordinal)))
    {
        _sysctl = sysctl;
        _configRoot = configRoot;
    }

    public string Os => "macos";

    public string Scope => "host";

    public ulong? NamespaceInode => null;

    public string? NamespaceName => null;

    public ulong? NamespaceCookie => null;

    public string? PersistPath => Path.Combine(_configRoot, "etc", "sysctl.conf");

    public string BackupDirectory => Path.Combine(_configRoot, "var", "db", "gonettools", "backups");

    /// <summary>"net.inet.tcp.msl: 15000" lines → key → value; error lines ("sysctl: unknown oid ...") are not keys.</summary>
    public static Dictionary<string, string> ParseSysctlOutput(string output) =>
        SysctlConfig.Parse("sysctl", output).Where(s => s.Key.Contains('.') && !s.Key.Contains(' ')).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    public string? ReadLive(TunableDefinition definition)
    {
        var keys = Keys(definition);
        var (code, output) = _sysctl.Run("sysctl", string.Join(' ', keys));
        var values = ParseSysctlOutput(output);
        if (code != 0 || keys.Any(k => !values.ContainsKey(k)))
        {
            return null;
        }
        return string.Join(' ', keys.Select(k => values[k]));
    }

    public string DescribeAbsent(TunableDefinition definition) => "not available";

    public void WriteLive(TunableDefinition definition, string? value)
    {
        var keys = Keys(definition);
        var parts = value?.Split(' ') ?? Array.Empty<string>();
        if (parts.Length != keys.Length)
        {
            throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed, $"{definition.Name} cannot be set to '{value}'.");
        }
        for (var i = 0; i < keys.Length; i++)
        {
            var (code, output) = _sysctl.Run("sysctl", $"-w {keys[i]}={parts[i]}");
            if (code != 0)
            {
                throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
                    $"sysctl -w {keys[i]}={parts[i]} failed (exit {code}): {output.Trim()}", "Run with sudo.");
            }
        }
    }

    /// <summary>/etc/sysctl.conf, with portrange.first and .last joined into the catalog's one PortRange key.</summary>
    public IReadOnlyList<ConfigSetting> ReadBootConfig()
    {
        if (ReadPersisted() is not { } text)
        {
            return Array.Empty<ConfigSetting>();
        }
        var settings = SysctlConfig.Parse("/etc/sysctl.conf", text).ToList();
        var first = settings.LastOrDefault(s => s.Key == "net.inet.ip.portrange.first");
        var last = settings.LastOrDefault(s => s.Key == "net.inet.ip.portrange.last");
        if (first is not null && last is not null)
        {
            settings.Add(new ConfigSetting("net.inet.ip.portrange.first net.inet.ip.portrange.last", $"{first.Value} {last.Value}",
                first.File, last.Line, $"{first.Text}; {last.Text}"));
        }
        return settings;
    }

    /// <summary>portrange.first and .last are separate lines in sysctl.conf: the catalog's one PortRange value is split.</summary>
    public void Persist(IReadOnlyDictionary<TunableDefinition, string> values)
    {
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (definition, value) in values)
        {
            var keys = Keys(definition);
            var parts = value.Split(' ');
            for (var i = 0; i < keys.Length && i < parts.Length; i++)
            {
                lines[keys[i]] = parts[i];
            }
        }
        BootFile.Set(lines);
    }

    public string? PrivilegeProblem() => Environment.IsPrivilegedProcess
        ? null
        : "Changing sysctl values needs root: run pwsh with sudo. -WhatIf works without it.";

    private static string[] Keys(TunableDefinition definition) => definition.Key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
