using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GoNetTools.Foundation;

namespace GoNetTools.Foundation.Tunables;

/// <summary>
/// Canonical text of tunable values ("1", "10240 65535", "8080,9000-9010") and their validation against the
/// catalog's type and range. Everything is checked here, before any file or registry value is touched.
/// </summary>
internal static class TunableValue
{
    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);
    private static readonly Regex NegativeNumber = new(@"(^|[\s,])-\d", RegexOptions.Compiled);

    /// <summary>Collapses whitespace: /proc gives "32768\t60999".</summary>
    public static string Clean(string text) => Whitespace.Replace(text.Trim(), " ");

    /// <summary>Turns what the user passed (string, number, array of two ports) into text; null stays null.</summary>
    public static string? FromObject(object? input, TunableType type) => input switch
    {
        null => null,
        string s => Clean(s),
        IEnumerable items => string.Join(type == TunableType.PortList ? "," : " ",
            items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)?.Trim())),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Clean(input.ToString() ?? ""),
    };

    /// <summary>
    /// Checks <paramref name="value"/> for <paramref name="definition"/> and returns its canonical text.
    /// <paramref name="current"/> is the live value, for rules such as "never lower".
    /// </summary>
    public static string? Validate(TunableDefinition definition, string? value, string? current)
    {
        if (definition.ReadOnly)
        {
            throw Invalid(definition, value, $"{definition.Name} is read-only in GoNetTools.", "Change it with the OS's own tool (see Get-Help Get-TcpTuning).");
        }
        if (value is null || value.Length == 0 && definition.Type != TunableType.PortList)
        {
            if (definition.UnsetAllowed)
            {
                return null;
            }
            throw Invalid(definition, value, $"{definition.Name} needs a value.", Expect(definition));
        }
        return definition.Type switch
        {
            TunableType.Integer => ValidateInteger(definition, value, current),
            TunableType.PortRange => ValidateRange(definition, value),
            _ => ValidateList(definition, value),
        };
    }

    /// <summary>Start and end of "start end", or null when the text is not two numbers.</summary>
    public static (long Start, long End)? ParseRange(string? text)
    {
        if (text is null || NegativeNumber.IsMatch(text))
        {
            return null; // "-5 100": a '-' before a number is a sign, not the "a-b" separator
        }
        var parts = text.Split(new[] { ' ', '-', ',', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? (a, b) : null;
    }

    /// <summary>The ports a port list names (for budget arithmetic), or null when it is malformed.</summary>
    public static IReadOnlyList<(long Start, long End)>? ParseList(string text)
    {
        var ranges = new List<(long, long)>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = item.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2 || !long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                return null;
            }
            var end = start;
            if (bounds.Length == 2 && !long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out end))
            {
                return null;
            }
            ranges.Add((start, end));
        }
        return ranges;
    }

    private static string ValidateInteger(TunableDefinition d, string value, string? current)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid(d, value, $"'{value}' is not an integer.", Expect(d));
        }
        if (number < d.Min || number > d.Max)
        {
            throw Invalid(d, value, $"{number} is outside {d.Name}'s valid range.", Expect(d));
        }
        if (d.NeverLower && long.TryParse(current, NumberStyles.None, CultureInfo.InvariantCulture, out var now) && number < now)
        {
            throw Invalid(d, value, $"{d.Key} would drop from {now} to {number}. Lowering it makes closing sockets skip TIME_WAIT (TCPTimeWaitOverflow); it exists only against DoS.",
                $"Give a value of at least {now}, or leave it alone.");
        }
        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static string ValidateRange(TunableDefinition d, string value)
    {
        if (ParseRange(value) is not var (start, end))
        {
            throw Invalid(d, value, $"'{value}' is not a port range.", Expect(d));
        }
        if (start < d.Min || end > d.Max || start >= end)
        {
            throw Invalid(d, value, $"{start}-{end} is not a valid range for {d.Name}.", Expect(d));
        }
        if (end - start + 1 < d.MinCount)
        {
            throw Invalid(d, value, $"{start}-{end} holds {end - start + 1} ports; {d.Name} needs at least {d.MinCount}.", Expect(d));
        }
        if (d.Os == "linux" && (start % 2) == (end % 2))
        {
            throw Invalid(d, value, $"{start} and {end} have the same parity; the kernel splits ephemeral ports by parity between connect() and bind(0).",
                $"Move one end by one, e.g. {start} {end + (end < d.Max ? 1 : -1)}.");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{start} {end}");
    }

    private static string ValidateList(TunableDefinition d, string value)
    {
        var ranges = ParseList(value.Replace(' ', ','));
        if (ranges is null || ranges.Any(r => r.Start < d.Min || r.End > d.Max || r.Start > r.End))
        {
            throw Invalid(d, value, $"'{value}' is not a list of ports and ranges.", Expect(d));
        }
        return string.Join(",", ranges.Select(r => r.Start == r.End
            ? r.Start.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{r.Start}-{r.End}")));
    }

    private static string Expect(TunableDefinition d) => d.Type switch
    {
        TunableType.Integer => $"Give an integer from {d.Min} to {d.Max}{(d.Unit is null ? "" : " " + d.Unit)}{(d.UnsetAllowed ? ", or $null to remove it" : "")}.",
        TunableType.PortRange => $"Give two ports 'start end' with {d.Min} <= start < end <= {d.Max}{(d.Os == "linux" ? ", ends of different parity" : "")}, e.g. '{d.Default}'.",
        _ => "Give ports and ranges separated by commas, e.g. '8080,9000-9010', or '' for none.",
    };

    private static GoNetToolsException Invalid(TunableDefinition d, string? value, string message, string action) =>
        new(ErrorIds.InvalidTunableValue, FailureKind.InvalidArgument, $"Invalid value '{value}' for {d.Name} ({d.Key}): {message}", action);
}
