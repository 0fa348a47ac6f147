using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace GoNetTools.Metrics;

/// <summary>
/// Writes a <see cref="MetricSet"/> as Prometheus text 0.0.4 or OpenMetrics 1.0. The two differ where it matters to
/// their parsers: a counter's TYPE line names the family with "_total" in Prometheus text (as client_golang writes it)
/// and without it in OpenMetrics, and OpenMetrics ends with "# EOF".
/// </summary>
internal static class MetricText
{
    public static string Write(MetricSet set, MetricFormat format)
    {
        var text = new StringBuilder();
        foreach (var family in set.Families)
        {
            var typeName = format == MetricFormat.Prometheus && family.Type == MetricType.Counter ? family.Name + "_total" : family.Name;
            text.Append("# HELP ").Append(typeName).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(typeName).Append(' ').Append(family.Type.ToString().ToLowerInvariant()).Append('\n');
            foreach (var sample in family.Samples.Values)
            {
                text.Append(family.Name).Append(sample.Suffix);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Key}=\"{EscapeLabel(l.Value)}\"")).Append('}');
                }
                text.Append(' ').Append(Value(sample.Value)).Append('\n');
            }
        }
        if (format == MetricFormat.OpenMetrics)
        {
            text.Append("# EOF\n");
        }
        return text.ToString();
    }

    public static string Value(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
