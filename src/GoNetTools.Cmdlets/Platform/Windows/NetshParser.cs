using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Pure parsers for netsh's English output (`netsh int ipv4 show dynamicport tcp`,
/// `netsh int ipv4 show excludedportrange protocol=tcp`). Labels are localized on non-English Windows, so the
/// dynamic-port parser reads the two numbers after the dashed line in order rather than the labels.
/// </summary>
internal static class NetshParser
{
    /// <summary>"Start Port : 49152" and "Number of Ports : 16384" → (49152, 16384); null when absent.</summary>
    public static (int Start, int Count)? ParseDynamicPort(string output)
    {
        var numbers = new List<int>();
        foreach (var line in output.Replace("\r\n", "\n").Split('\n'))
        {
            var colon = line.LastIndexOf(':');
            if (colon > 0 && int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
        }
        return numbers.Count >= 2 ? (numbers[0], numbers[1]) : null;
    }

    /// <summary>Rows "  5357   5357" and "50000  50059  *" (administered) → ranges; header and footer lines are skipped.</summary>
    public static IReadOnlyList<(int Start, int End, bool Administered)> ParseExcludedRanges(string output)
    {
        var ranges = new List<(int, int, bool)>();
        foreach (var line in output.Replace("\r\n", "\n").Split('\n'))
        {
            var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 2 or 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && (parts.Length == 2 || parts[2] == "*"))
            {
                ranges.Add((start, end, parts.Length == 3));
            }
        }
        return ranges;
    }

    /// <summary>Ranges as the catalog's port-list text: "5357,50000-50059".</summary>
    public static string ToPortList(IEnumerable<(int Start, int End, bool Administered)> ranges) =>
        string.Join(",", ranges.Select(r => r.Start == r.End
            ? r.Start.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{r.Start}-{r.End}")));
}
