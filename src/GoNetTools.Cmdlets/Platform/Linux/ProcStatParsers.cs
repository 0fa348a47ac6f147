using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Pure parsers for the small procfs files the workstation checks read: /proc/pressure/* (PSI), /proc/meminfo,
/// /proc/vmstat and /proc/net/softnet_stat. Malformed lines are skipped; a missing value is null, never zero.
/// </summary>
internal static class ProcStatParsers
{
    /// <summary>One PSI line: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" (Documentation/accounting/psi.rst).</summary>
    internal readonly record struct PressureLine(double Avg10, double Avg60, double Avg300, long TotalUs);

    /// <summary>The "some" and "full" lines of a pressure file; "full" is absent in /proc/pressure/cpu before 5.13.</summary>
    public static (PressureLine? Some, PressureLine? Full) Pressure(string? text)
    {
        PressureLine? some = null, full = null;
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5)
            {
                continue;
            }
            double avg10 = 0, avg60 = 0, avg300 = 0;
            long? total = null;
            foreach (var field in fields[1..])
            {
                var eq = field.IndexOf('=');
                if (eq < 0)
                {
                    continue;
                }
                var value = field[(eq + 1)..];
                switch (field[..eq])
                {
                    case "avg10": avg10 = Double(value); break;
                    case "avg60": avg60 = Double(value); break;
                    case "avg300": avg300 = Double(value); break;
                    case "total" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t): total = t; break;
                }
            }
            if (total is null)
            {
                continue;
            }
            var parsed = new PressureLine(avg10, avg60, avg300, total.Value);
            if (fields[0] == "some")
            {
                some = parsed;
            }
            else if (fields[0] == "full")
            {
                full = parsed;
            }
        }
        return (some, full);
    }

    /// <summary>"Name: value [kB]" lines (meminfo: kB turned into bytes) or "name value" lines (vmstat).</summary>
    public static Dictionary<string, long> Values(string? text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Replace(":", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }
            result[fields[0]] = fields.Length > 2 && fields[2] == "kB" ? value * 1024 : value;
        }
        return result;
    }

    /// <summary>
    /// /proc/net/softnet_stat summed over CPUs: one line per CPU of hex columns; column 2 is packets dropped because
    /// the input backlog was full (netdev_max_backlog), column 3 the time_squeeze count (net/core/net-procfs.c).
    /// </summary>
    public static (long Dropped, long TimeSqueeze)? Softnet(string? text)
    {
        if (text is null)
        {
            return null;
        }
        long dropped = 0, squeeze = 0;
        var any = false;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3
                || !long.TryParse(fields[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var d)
                || !long.TryParse(fields[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var s))
            {
                continue;
            }
            dropped += d;
            squeeze += s;
            any = true;
        }
        return any ? (dropped, squeeze) : null;
    }

    /// <summary>Reads a procfs file whole; null when it is absent or unreadable.</summary>
    public static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Double(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
