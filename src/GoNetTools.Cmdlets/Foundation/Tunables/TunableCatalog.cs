using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace GoNetTools.Foundation.Tunables;

/// <summary>How a tunable's value is written and checked.</summary>
internal enum TunableType
{
    Integer,
    /// <summary>Two ports "start end" (Linux ip_local_port_range, Windows start+count, macOS first/last).</summary>
    PortRange,
    /// <summary>Comma-separated ports and a-b ranges (Linux ip_local_reserved_ports).</summary>
    PortList,
}

/// <summary>One catalog entry: a tunable GoNetTools knows, with the facts about it.</summary>
internal sealed record TunableDefinition(
    string Name, string Os, string Key, TunableType Type, long Min, long Max, string? Default, string? Unit,
    string Description, string Source, bool RequiresReboot, bool ReadOnly, bool NeverLower, bool UnsetAllowed, long MinCount);

/// <summary>One value a profile sets, with why.</summary>
internal sealed record ProfileValue(string Name, string? Value, string Rationale, string Source);

/// <summary>A named set of values (GoDev, Default).</summary>
internal sealed record TuningProfile(string Name, string Description, IReadOnlyList<ProfileValue> Values);

/// <summary>
/// The tunables and profiles, read from the embedded tunables.json: data, not code, so every value carries its
/// rationale and source. Only names in here can be read or written, which is what keeps -Name from ever
/// reaching an arbitrary path.
/// </summary>
internal sealed class TunableCatalog
{
    private const string ResourceName = "GoNetTools.tunables.json";
    private static readonly Lazy<TunableCatalog> Embedded = new(Load);

    private TunableCatalog(IReadOnlyList<TunableDefinition> tunables, IReadOnlyList<TuningProfile> profiles)
    {
        Tunables = tunables;
        Profiles = profiles;
    }

    public static TunableCatalog Instance => Embedded.Value;

    public IReadOnlyList<TunableDefinition> Tunables { get; }

    public IReadOnlyList<TuningProfile> Profiles { get; }

    /// <summary>The tunables of one OS ("linux", "windows", "macos"), in catalog order.</summary>
    public IEnumerable<TunableDefinition> For(string os) => Tunables.Where(t => t.Os == os);

    /// <summary>Finds a tunable of <paramref name="os"/> by name or OS key (case-insensitive), else null.</summary>
    public TunableDefinition? Find(string os, string nameOrKey) =>
        For(os).FirstOrDefault(t => string.Equals(t.Name, nameOrKey, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t.Key, nameOrKey, StringComparison.OrdinalIgnoreCase));

    public TuningProfile? FindProfile(string name) =>
        Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The profile's values that apply to <paramref name="os"/>, with their definitions.</summary>
    public IEnumerable<(TunableDefinition Definition, ProfileValue Value)> ValuesFor(TuningProfile profile, string os)
    {
        foreach (var value in profile.Values)
        {
            if (Find(os, value.Name) is { } definition)
            {
                yield return (definition, value);
            }
        }
    }

    /// <summary>Parses catalog JSON (the embedded resource, or a test's text).</summary>
    public static TunableCatalog Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var tunables = new List<TunableDefinition>();
        foreach (var t in root.GetProperty("tunables").EnumerateArray())
        {
            tunables.Add(new TunableDefinition(
                Text(t, "name")!, Text(t, "os")!, Text(t, "key")!,
                Enum.Parse<TunableType>(Text(t, "type")!, ignoreCase: true),
                Number(t, "min") ?? 0, Number(t, "max") ?? long.MaxValue, Text(t, "default"), Text(t, "unit"),
                Text(t, "description")!, Text(t, "source")!,
                Flag(t, "reboot"), Flag(t, "readOnly"), Flag(t, "neverLower"), Flag(t, "unsetAllowed"), Number(t, "minCount") ?? 1));
        }
        var profiles = new List<TuningProfile>();
        foreach (var p in root.GetProperty("profiles").EnumerateArray())
        {
            var values = p.GetProperty("values").EnumerateArray()
                .Select(v => new ProfileValue(Text(v, "name")!, Text(v, "value"), Text(v, "rationale") ?? "", Text(v, "source") ?? ""))
                .ToList();
            profiles.Add(new TuningProfile(Text(p, "name")!, Text(p, "description") ?? "", values));
        }
        return new TunableCatalog(tunables, profiles);
    }

    private static TunableCatalog Load()
    {
        using var stream = typeof(TunableCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in the module assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
