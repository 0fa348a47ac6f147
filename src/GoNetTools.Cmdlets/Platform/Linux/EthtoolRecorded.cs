using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// ethtool answers recorded as text in a fixture tree: &lt;root&gt;/ethtool/&lt;ifname&gt;/i.txt, l.txt, x.txt and
/// S.txt hold the output of `ethtool -i`, `-l`, `-x` and `-S`. A missing file, or one saying "Operation not
/// supported", reads as the driver's EOPNOTSUPP: null. Link settings come from sysfs in fixtures.
/// </summary>
internal sealed class EthtoolRecorded : IEthtool
{
    private readonly string _root;

    public EthtoolRecorded(string systemRoot) => _root = Path.Combine(systemRoot, "ethtool");

    public EthtoolDriverInfo? DriverInfo(string ifname)
    {
        var lines = Lines(ifname, "i");
        if (lines is null)
        {
            return null;
        }
        var fields = EthtoolText.KeyValues(lines);
        string? Get(string key) => fields.TryGetValue(key, out var v) && v.Length > 0 && v != "N/A" ? v : null;
        var driver = Get("driver");
        return driver is null ? null : new EthtoolDriverInfo(driver, Get("version"), Get("firmware-version"), Get("bus-info"));
    }

    public EthtoolChannels? Channels(string ifname) => Lines(ifname, "l") is { } lines ? EthtoolText.Channels(lines) : null;

    public EthtoolLink? Link(string ifname) => null;

    public int[]? Indirection(string ifname) => Lines(ifname, "x") is { } lines ? EthtoolText.Indirection(lines) : null;

    public IReadOnlyList<KeyValuePair<string, ulong>>? Statistics(string ifname) =>
        Lines(ifname, "S") is { } lines ? EthtoolText.Statistics(lines) : null;

    private string[]? Lines(string ifname, string option)
    {
        var path = Path.Combine(_root, ifname, option + ".txt");
        if (!File.Exists(path))
        {
            return null;
        }
        var lines = File.ReadAllLines(path);
        return lines.Any(l => l.Contains("Operation not supported", StringComparison.OrdinalIgnoreCase)) ? null : lines;
    }
}

/// <summary>Parsers for ethtool's text output (the format of ethtool 5.x/6.x).</summary>
internal static class EthtoolText
{
    /// <summary>"key: value" lines (ethtool -i).</summary>
    public static Dictionary<string, string> KeyValues(IEnumerable<string> lines)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return fields;
    }

    /// <summary>ethtool -l: "Pre-set maximums:" then "Current hardware settings:", each with RX/TX/Other/Combined ("n/a" = 0).</summary>
    public static EthtoolChannels? Channels(IEnumerable<string> lines)
    {
        var max = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var current = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, int>? section = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("Pre-set maximums", StringComparison.OrdinalIgnoreCase))
            {
                section = max;
            }
            else if (line.StartsWith("Current hardware settings", StringComparison.OrdinalIgnoreCase))
            {
                section = current;
            }
            else if (section is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                var value = line[(colon + 1)..].Trim();
                section[line[..colon].Trim()] = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            }
        }
        if (current.Count == 0)
        {
            return null;
        }
        int M(Dictionary<string, int> d, string k) => d.TryGetValue(k, out var v) ? v : 0;
        return new EthtoolChannels(M(max, "RX"), M(max, "TX"), M(max, "Other"), M(max, "Combined"),
            M(current, "RX"), M(current, "TX"), M(current, "Other"), M(current, "Combined"));
    }

    /// <summary>ethtool -x: rows "    8:      0     1     2 …" after the "RX flow hash indirection table" line.</summary>
    public static int[]? Indirection(IEnumerable<string> lines)
    {
        var table = new List<int>();
        var inTable = false;
        foreach (var raw in lines)
        {
            if (raw.StartsWith("RX flow hash indirection table", StringComparison.OrdinalIgnoreCase))
            {
                inTable = true;
                continue;
            }
            if (!inTable)
            {
                continue;
            }
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !int.TryParse(raw[..colon].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                break;
            }
            foreach (var cell in raw[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var queue))
                {
                    table.Add(queue);
                }
            }
        }
        return table.Count == 0 ? null : table.ToArray();
    }

    /// <summary>ethtool -S: "     name: value" lines after "NIC statistics:".</summary>
    public static IReadOnlyList<KeyValuePair<string, ulong>> Statistics(IEnumerable<string> lines)
    {
        var stats = new List<KeyValuePair<string, ulong>>();
        foreach (var raw in lines)
        {
            var colon = raw.LastIndexOf(':');
            if (colon > 0 && ulong.TryParse(raw[(colon + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                stats.Add(new(raw[..colon].Trim(), value));
            }
        }
        return stats;
    }
}
