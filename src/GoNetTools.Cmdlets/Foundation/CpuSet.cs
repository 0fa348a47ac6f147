using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace GoNetTools.Foundation;

/// <summary>
/// CPU sets in the two forms the Linux kernel uses: lists ("0-3,8", smp_affinity_list, cpu/online) and hex masks in
/// comma-separated 32-bit groups, most significant first ("00000000,0000000f", rps_cpus, xps_cpus).
/// </summary>
internal static class CpuSet
{
    /// <summary>Parses "0-3,8"; null when malformed. Empty text is the empty set.</summary>
    public static int[]? TryParseList(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var cpus = new SortedSet<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
                {
                    return null;
                }
                cpus.Add(single);
                continue;
            }
            if (!int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first || last - first > 65536)
            {
                return null;
            }
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }
        return cpus.ToArray();
    }

    /// <summary>"0-3,8" for {0,1,2,3,8}; "" for the empty set.</summary>
    public static string FormatList(IEnumerable<int> cpus)
    {
        var sorted = cpus.Distinct().OrderBy(c => c).ToArray();
        var sb = new StringBuilder();
        for (var i = 0; i < sorted.Length; i++)
        {
            var start = sorted[i];
            while (i + 1 < sorted.Length && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(start.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != start)
            {
                sb.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    /// <summary>Parses "00000000,0000000f"; null when malformed.</summary>
    public static int[]? TryParseMask(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var groups = text.Trim().Split(',');
        var cpus = new List<int>();
        for (var g = 0; g < groups.Length; g++)
        {
            var group = groups[groups.Length - 1 - g];
            if (group.Length == 0 || group.Length > 8 || !uint.TryParse(group, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
            {
                return null;
            }
            for (var bit = 0; bit < 32; bit++)
            {
                if ((bits & (1u << bit)) != 0)
                {
                    cpus.Add(g * 32 + bit);
                }
            }
        }
        cpus.Sort();
        return cpus.ToArray();
    }

    /// <summary>The mask the kernel accepts for <paramref name="cpus"/>: "f", or "1,00000000" past CPU 31; "0" when empty.</summary>
    public static string FormatMask(IEnumerable<int> cpus)
    {
        var list = cpus.Distinct().ToList();
        if (list.Count == 0)
        {
            return "0";
        }
        var groups = new uint[list.Max() / 32 + 1];
        foreach (var cpu in list)
        {
            groups[cpu / 32] |= 1u << (cpu % 32);
        }
        var parts = new List<string>();
        for (var g = groups.Length - 1; g >= 0; g--)
        {
            parts.Add(groups[g].ToString(parts.Count == 0 ? "x" : "x8", CultureInfo.InvariantCulture));
        }
        return string.Join(',', parts);
    }
}
