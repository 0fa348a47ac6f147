using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>What Test-TcpTuning looks at: live values by tunable name, the boot configuration, an optional profile.</summary>
internal sealed record TuningState(
    string Os, string Scope, IReadOnlyList<TunableDefinition> Definitions, IReadOnlyDictionary<string, string?> Live,
    IReadOnlyList<ConfigSetting> BootConfig);

/// <summary>
/// The drift and myth checks, pure: state in, findings out. Each finding quotes its evidence (values, or the
/// file and line that sets them) and the documentation behind the rule.
/// </summary>
internal static class TuningRules
{
    private const string IpSysctl = "Linux Documentation/networking/ip-sysctl.rst";

    public static IEnumerable<TcpTuningFinding> Evaluate(TuningState state, TunableCatalog catalog, TuningProfile? profile)
    {
        var findings = new List<TcpTuningFinding>();
        if (profile is not null)
        {
            findings.AddRange(ProfileMismatches(state, catalog, profile));
        }
        findings.AddRange(PersistedDrift(state));
        if (state.Os == "linux")
        {
            findings.AddRange(LinuxMyths(state));
        }
        return findings;
    }

    private static IEnumerable<TcpTuningFinding> ProfileMismatches(TuningState state, TunableCatalog catalog, TuningProfile profile)
    {
        foreach (var (definition, wanted) in catalog.ValuesFor(profile, state.Os))
        {
            var live = Live(state, definition.Name);
            if (!string.Equals(live, wanted.Value, StringComparison.Ordinal))
            {
                yield return Finding(state, "ProfileMismatch", TuningFindingSeverity.Warning, definition.Name, definition.Key,
                    $"{definition.Name} is {live ?? "not set"}; profile {profile.Name} wants {wanted.Value ?? "not set"} ({wanted.Rationale})",
                    $"{definition.Key} = {live ?? "(absent)"}",
                    $"Set-TcpTuning -Profile {profile.Name}, or Set-TcpTuning -Name {definition.Name} -Value '{wanted.Value}'.", wanted.Source);
            }
        }
    }

    private static IEnumerable<TcpTuningFinding> PersistedDrift(TuningState state)
    {
        var boot = SysctlConfig.Effective(state.BootConfig);
        foreach (var definition in state.Definitions)
        {
            if (!boot.TryGetValue(definition.Key, out var setting) || !state.Live.TryGetValue(definition.Name, out var live) || live is null)
            {
                continue;
            }
            if (!string.Equals(Canonical(definition, setting.Value), live, StringComparison.Ordinal))
            {
                yield return Finding(state, "PersistedDrift", TuningFindingSeverity.Warning, definition.Name, definition.Key,
                    $"{definition.Key} is {live} now but the boot configuration sets {setting.Value}: the next boot (or sysctl --system) changes it.",
                    $"live {definition.Key} = {live}; {setting.Evidence}",
                    "Make them agree: Set-TcpTuning -Persist for the live value, or fix the file.", "sysctl.d(5)");
            }
        }
    }

    private static IEnumerable<TcpTuningFinding> LinuxMyths(TuningState state)
    {
        var reuse = Number(Live(state, "TimeWaitReuse"));
        var timestamps = Number(Live(state, "Timestamps"));
        if (reuse is 1 or 2 && timestamps == 0)
        {
            yield return Finding(state, "ReuseWithoutTimestamps", TuningFindingSeverity.Error, "TimeWaitReuse", "net.ipv4.tcp_tw_reuse",
                "tcp_tw_reuse is on but tcp_timestamps is 0: reuse needs timestamps (PAWS), so no TIME_WAIT port is ever reused.",
                $"net.ipv4.tcp_tw_reuse = {reuse}; net.ipv4.tcp_timestamps = 0",
                "Set-TcpTuning -Name Timestamps -Value 1", IpSysctl + ": tcp_tw_reuse, tcp_timestamps");
        }
        foreach (var line in state.BootConfig.Where(s => s.Key.EndsWith("tcp_tw_recycle", StringComparison.Ordinal)))
        {
            yield return Finding(state, "RecycleConfigured", TuningFindingSeverity.Error, "tcp_tw_recycle", line.Key,
                "tcp_tw_recycle was removed in Linux 4.12 (it broke clients behind NAT); this line fails at boot and tunes nothing.",
                line.Evidence, "Delete the line. For outgoing port reuse use tcp_tw_reuse=1 with tcp_timestamps=1.",
                "Linux commit 4396e46187ca (tcp: remove tcp_tw_recycle), 4.12");
        }
        var ports = PortCount(Live(state, "LocalPortRange"));
        var bucketSources = new List<(string Value, string Evidence)>();
        if (Live(state, "MaxTimeWaitBuckets") is { } liveBuckets)
        {
            bucketSources.Add((liveBuckets, $"live net.ipv4.tcp_max_tw_buckets = {liveBuckets}"));
        }
        bucketSources.AddRange(state.BootConfig.Where(s => s.Key == "net.ipv4.tcp_max_tw_buckets").Select(s => (s.Value, s.Evidence)));
        foreach (var (value, evidence) in bucketSources)
        {
            var buckets = Number(value);
            var liveNumber = Number(Live(state, "MaxTimeWaitBuckets"));
            var belowPorts = buckets < ports;
            var belowLive = !evidence.StartsWith("live", StringComparison.Ordinal) && buckets < liveNumber;
            if (belowPorts || belowLive)
            {
                yield return Finding(state, "MaxTimeWaitBucketsLowered", TuningFindingSeverity.Warning, "MaxTimeWaitBuckets", "net.ipv4.tcp_max_tw_buckets",
                    belowPorts
                        ? $"tcp_max_tw_buckets {buckets} is below the {ports} ephemeral ports: past it, closing sockets skip TIME_WAIT (TCPTimeWaitOverflow) instead of anything getting faster."
                        : $"The boot configuration lowers tcp_max_tw_buckets to {buckets} (now {liveNumber}); the limit exists only against DoS.",
                    evidence, "Never lower it: remove the setting, or raise it.", IpSysctl + ": tcp_max_tw_buckets");
            }
        }
        var rangeSources = new List<(string Value, string Evidence)>();
        if (Live(state, "LocalPortRange") is { } liveRange)
        {
            rangeSources.Add((liveRange, $"live net.ipv4.ip_local_port_range = {liveRange}"));
        }
        rangeSources.AddRange(state.BootConfig.Where(s => s.Key == "net.ipv4.ip_local_port_range").Select(s => (s.Value, s.Evidence)));
        foreach (var (value, evidence) in rangeSources)
        {
            if (TunableValue.ParseRange(value) is not var (start, end))
            {
                continue;
            }
            if (start % 2 == end % 2)
            {
                yield return Finding(state, "PortRangeParity", TuningFindingSeverity.Warning, "LocalPortRange", "net.ipv4.ip_local_port_range",
                    $"Both ends of {start}-{end} are {(start % 2 == 0 ? "even" : "odd")}: the kernel splits ephemeral ports by parity between connect() and bind(0), so one side loses ports.",
                    evidence, $"Use ends of different parity, e.g. {start} {end + (end < 65535 ? 1 : -1)}.", IpSysctl + ": ip_local_port_range");
            }
            if (start < 1024)
            {
                yield return Finding(state, "PortRangeBelow1024", TuningFindingSeverity.Warning, "LocalPortRange", "net.ipv4.ip_local_port_range",
                    $"The range starts at {start}, inside the privileged ports: outgoing connections can take ports that system services bind.",
                    evidence, "Start at 1024 or above (GoDev uses 10240 65535).", IpSysctl + ": ip_local_port_range, ip_unprivileged_port_start");
            }
        }
    }

    private static string? Live(TuningState state, string name) => state.Live.TryGetValue(name, out var v) ? v : null;

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? PortCount(string? range) => TunableValue.ParseRange(range) is var (a, b) ? b - a + 1 : null;

    private static string Canonical(TunableDefinition definition, string value) =>
        definition.Type == TunableType.PortRange && TunableValue.ParseRange(value) is var (a, b)
            ? string.Create(CultureInfo.InvariantCulture, $"{a} {b}") : value;

    private static TcpTuningFinding Finding(TuningState state, string rule, TuningFindingSeverity severity, string name, string key,
        string message, string evidence, string recommendation, string source) => new()
    {
        Rule = rule, Severity = severity, Name = name, Key = key, Message = message, Evidence = evidence,
        Recommendation = recommendation, Source = source, Scope = state.Scope,
    };
}
