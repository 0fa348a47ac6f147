using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using GoNetTools.Tuning;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows tunables: TcpTimedWaitDelay in the registry (read at boot), dynamic port ranges and excluded port
/// ranges through netsh (stored persistently by netsh itself, so -Persist has nothing extra to write).
/// Registry and netsh come in as abstractions: tests feed recorded values and outputs.
/// </summary>
internal sealed class WindowsTunableStore : ITunableStore
{
    private const string ParametersKey = @"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters";
    private const string TimedWaitDelayValue = "TcpTimedWaitDelay";

    private readonly IRegistryValues _registry;
    private readonly ICommandRunner _netsh;
    private readonly string _configRoot;

    public WindowsTunableStore(IRegistryValues registry, ICommandRunner netsh, string configRoot)
    {
        _registry = registry;
        _netsh = netsh;
        _configRoot = configRoot;
    }

    public string Os => "windows";

    public string Scope => "host";

    public ulong? NamespaceInode => null;

    public string? NamespaceName => null;

    public string? PersistPath => null;

    public string BackupDirectory => Path.Combine(_configRoot, "GoNetTools", "backups");

    public string? ReadLive(TunableDefinition definition) => definition.Name switch
    {
        "TimedWaitDelay" => _registry.GetDword(ParametersKey, TimedWaitDelayValue)?.ToString(CultureInfo.InvariantCulture),
        "DynamicPortRangeIPv4" => DynamicRange("ipv4"),
        "DynamicPortRangeIPv6" => DynamicRange("ipv6"),
        "ExcludedPortRanges" => NetshParser.ToPortList(NetshParser.ParseExcludedRanges(Netsh("int ipv4 show excludedportrange protocol=tcp"))),
        _ => null,
    };

    public string DescribeAbsent(TunableDefinition definition) =>
        definition.Name == "TimedWaitDelay" ? "not set (OS default)" : "not available";

    public void WriteLive(TunableDefinition definition, string? value)
    {
        switch (definition.Name)
        {
            case "TimedWaitDelay" when value is null:
                _registry.DeleteValue(ParametersKey, TimedWaitDelayValue);
                break;
            case "TimedWaitDelay":
                _registry.SetDword(ParametersKey, TimedWaitDelayValue, int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture));
                break;
            case "DynamicPortRangeIPv4" or "DynamicPortRangeIPv6" when TunableValue.ParseRange(value) is var (start, end):
                var family = definition.Name.EndsWith("IPv4", StringComparison.Ordinal) ? "ipv4" : "ipv6";
                Netsh(string.Create(CultureInfo.InvariantCulture, $"int {family} set dynamicport tcp start={start} num={end - start + 1}"));
                break;
            default:
                throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed, $"{definition.Name} cannot be written to '{value}'.");
        }
    }

    /// <summary>On Windows the live store is the boot store: the registry value and netsh's persistent settings.</summary>
    public IReadOnlyList<ConfigSetting> ReadBootConfig()
    {
        var settings = new List<ConfigSetting>();
        if (_registry.GetDword(ParametersKey, TimedWaitDelayValue) is { } delay)
        {
            var text = delay.ToString(CultureInfo.InvariantCulture);
            settings.Add(new ConfigSetting(@"HKLM\" + ParametersKey + @"\" + TimedWaitDelayValue, text, @"HKLM\" + ParametersKey, 0, $"{TimedWaitDelayValue} = {text} (REG_DWORD)"));
        }
        return settings;
    }

    public string? ReadPersisted() => null;

    public ulong? NamespaceCookie => null;

    public PersistedState CapturePersisted() => new(false, System.Array.Empty<PersistedSetting>(), true, null);

    public IReadOnlySet<string> PersistKeys { get; } = new HashSet<string>();

    public System.TimeSpan PersistLockPause { get; set; }

    public void Persist(IReadOnlyDictionary<TunableDefinition, string> values)
    {
        // The registry and netsh's persistent store already hold what WriteLive wrote.
    }

    public void RestorePersisted(PersistedState previous)
    {
    }

    public string? PrivilegeProblem() => Environment.IsPrivilegedProcess
        ? null
        : "Changing TCP/IP settings needs Administrator: run from an elevated PowerShell (Run as administrator). -WhatIf works without it.";

    private string? DynamicRange(string family) =>
        NetshParser.ParseDynamicPort(Netsh($"int {family} show dynamicport tcp")) is var (start, count)
            ? string.Create(CultureInfo.InvariantCulture, $"{start} {start + count - 1}") : null;

    private string Netsh(string arguments)
    {
        var (code, output) = _netsh.Run("netsh", arguments);
        if (code != 0)
        {
            throw new GoNetToolsException(ErrorIds.TunableWriteFailed, FailureKind.OperationFailed,
                $"netsh {arguments} failed (exit {code}): {output.Trim()}", "Run from an elevated PowerShell; check the values with Get-TcpTuning.");
        }
        return output;
    }
}
