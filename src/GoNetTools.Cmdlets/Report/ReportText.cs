using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Report;

/// <summary>How figures read in the report and in metric help: invariant culture, units that fit the size.</summary>
internal static class ReportText
{
    public static string Duration(TimeSpan t) =>
        t.TotalMilliseconds < 1 ? Invariant($"{t.TotalMilliseconds * 1000:0} µs")
        : t.TotalSeconds < 1 ? Invariant($"{t.TotalMilliseconds:0.0} ms")
        : t.TotalMinutes < 2 ? Invariant($"{t.TotalSeconds:0.00} s")
        : t.TotalHours < 2 ? Invariant($"{t.TotalMinutes:0.0} min")
        : Invariant($"{t.TotalHours:0.0} h");

    public static string Duration(TimeSpan? t) => t is { } v ? Duration(v) : "—";

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);

    public static string Number(double? value) => value is { } v ? Number(v) : "—";

    public static string Percent(double? value) => value is { } v ? v.ToString("0.###%", CultureInfo.InvariantCulture) : "—";

    /// <summary>"a=1, b=2" for a dictionary of counts; "—" when empty.</summary>
    public static string Pairs(IDictionary? pairs)
    {
        if (pairs is null || pairs.Count == 0)
        {
            return "—";
        }
        return string.Join(", ", pairs.Cast<DictionaryEntry>().Select(e => $"{e.Key}={Value(e.Value)}"));
    }

    /// <summary>Evidence values as text (numbers invariant, durations with units).</summary>
    public static string Value(object? value) => value switch
    {
        null => "—",
        TimeSpan t => Duration(t),
        double d => Number(d),
        float f => Number(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(Value)),
        _ => value.ToString() ?? "",
    };

    public static List<KeyValuePair<string, string>> Entries(IDictionary? pairs) =>
        pairs is null ? new() : pairs.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string>(e.Key.ToString() ?? "", Value(e.Value))).ToList();

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
