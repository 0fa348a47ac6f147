using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Platform.Linux;

/// <summary>One numbered line of /proc/interrupts.</summary>
internal sealed record ProcInterrupt(int Irq, long[] CountsPerCpu, string Controller, string Name);

/// <summary>
/// /proc/interrupts: a header of "CPUn" columns (online CPUs only), then "IRQ: count… chip hwirq-trigger actions".
/// Action names may hold spaces ("iwlwifi: default queue") and several actions share a line as "a, b". Lines
/// with a non-numeric IRQ (NMI, LOC…) are architecture counters and are skipped.
/// </summary>
internal static class ProcInterruptsParser
{
    public static List<ProcInterrupt> Parse(IEnumerable<string> lines)
    {
        var result = new List<ProcInterrupt>();
        int[]? cpus = null;
        foreach (var line in lines)
        {
            if (cpus is null)
            {
                cpus = Header(line);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !int.TryParse(line.AsSpan(0, colon).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var irq))
            {
                continue;
            }
            var tokens = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var counts = new long[cpus.Length == 0 ? 0 : Math.Max(0, cpus.Max() + 1)];
            var t = 0;
            for (; t < tokens.Length && t < cpus.Length; t++)
            {
                if (!long.TryParse(tokens[t], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    break;
                }
                if (cpus[t] >= 0)
                {
                    counts[cpus[t]] = count;
                }
            }
            var rest = tokens.Skip(t).ToArray();
            var trigger = Array.FindLastIndex(rest, IsTrigger);
            var controller = trigger >= 0 ? string.Join(' ', rest.Take(trigger + 1)) : (rest.Length > 0 ? rest[0] : "");
            var name = string.Join(' ', rest.Skip(trigger >= 0 ? trigger + 1 : Math.Min(1, rest.Length)));
            result.Add(new ProcInterrupt(irq, counts, controller, name));
        }
        return result;
    }

    /// <summary>The action names on one line: "eth0-TxRx-0, eth1" gives two.</summary>
    public static IEnumerable<string> Actions(string name) =>
        name.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int[] Header(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(c => c.StartsWith("CPU", StringComparison.Ordinal))
            .Select(c => int.TryParse(c.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < MaxCpus ? n : -1)
            .ToArray();

    /// <summary>Linux's largest NR_CPUS; a "CPU1999999999" header is not a kernel's (afl-fuzz made one that ran out of memory).</summary>
    private const int MaxCpus = 8192;

    /// <summary>The flow handler column: "0-edge", "16-fasteoi", "Edge" (older kernels), "percpu"…</summary>
    private static bool IsTrigger(string token) => Trigger.IsMatch(token);

    private static readonly System.Text.RegularExpressions.Regex Trigger = new(
        @"^(\S*-)?(edge|level|fasteoi|eoi|simple|percpu|percpu_devid|untyped|bad)$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
