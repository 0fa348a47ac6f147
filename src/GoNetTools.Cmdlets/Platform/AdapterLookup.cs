using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GoNetTools.Foundation;

namespace GoNetTools.Platform;

/// <summary>
/// Finds adapters by what users type: an exact name, a wildcard pattern (*, ?, [abc]) or one of the aliases
/// "Wi-Fi" and "Ethernet", which work on every OS. The one place -Adapter and -Name parameters resolve names.
/// </summary>
internal static class AdapterLookup
{
    /// <summary>The alias for the first wireless adapter.</summary>
    public const string WiFiAlias = "Wi-Fi";

    /// <summary>The alias for the first wired physical adapter that is up.</summary>
    public const string EthernetAlias = "Ethernet";

    /// <summary>The aliases every OS understands.</summary>
    public static IReadOnlyList<string> Aliases { get; } = new[] { WiFiAlias, EthernetAlias };

    /// <summary>The one adapter <paramref name="name"/> means; throws AdapterNotFound when none.</summary>
    public static NicAdapter Resolve(INicSource source, string name) =>
        Resolve(source, source.GetAdapters().ToList(), name);

    /// <summary>
    /// Every adapter matching any pattern, each once, in the order found. Null or empty patterns mean all adapters.
    /// A wildcard pattern matching nothing is no error; a plain name that matches nothing throws AdapterNotFound.
    /// </summary>
    public static IEnumerable<NicAdapter> Match(INicSource source, string[]? patterns)
    {
        var adapters = source.GetAdapters().ToList();
        if (patterns is null || patterns.Length == 0)
        {
            return adapters;
        }
        var found = new List<NicAdapter>();
        foreach (var pattern in patterns)
        {
            IEnumerable<NicAdapter> hits = IsWildcard(pattern)
                ? adapters.Where(a => Glob(pattern).IsMatch(a.Name))
                : new[] { Resolve(source, adapters, pattern) };
            foreach (var hit in hits)
            {
                if (!found.Any(f => f.Name == hit.Name))
                {
                    found.Add(hit);
                }
            }
        }
        return found;
    }

    /// <summary>
    /// The one adapter a command that changes or opens one adapter means: a plain name or alias as in
    /// <see cref="Resolve(INicSource, string)"/>; a wildcard must match exactly one adapter, else AdapterNotFound
    /// (none) or AdapterAmbiguous (several, all named), so nothing is ever done to "the first of several".
    /// </summary>
    public static NicAdapter ResolveOne(INicSource source, string nameOrPattern, string purpose)
    {
        if (!IsWildcard(nameOrPattern))
        {
            return Resolve(source, nameOrPattern);
        }
        var hits = Match(source, new[] { nameOrPattern }).ToList();
        return hits.Count switch
        {
            1 => hits[0],
            0 => throw NotFound(nameOrPattern, source.GetAdapters().ToList()),
            _ => throw new GoNetToolsException(ErrorIds.AdapterAmbiguous, FailureKind.InvalidArgument,
                $"'{nameOrPattern}' matches {hits.Count} adapters ({string.Join(", ", hits.Select(h => h.Name))}); {purpose} needs exactly one.",
                "Name one adapter (Tab completes the names), or a pattern that matches only it."),
        };
    }

    /// <summary>True when <paramref name="pattern"/> holds *, ? or [.</summary>
    public static bool IsWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    private static NicAdapter Resolve(INicSource source, List<NicAdapter> adapters, string name)
    {
        var exact = adapters.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal))
            ?? Single(adapters.Where(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)))
            ?? adapters.FirstOrDefault(a => string.Equals(a.DeviceName, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }
        var alias = CanonicalAlias(name);
        if (alias is not null)
        {
            var target = source.AliasTarget(alias);
            var viaOs = target is null ? null : adapters.FirstOrDefault(a => a.Name == target);
            var hit = viaOs ?? GenericAlias(alias, adapters);
            if (hit is not null)
            {
                return hit;
            }
            throw new GoNetToolsException(ErrorIds.AdapterNotFound, FailureKind.ObjectNotFound,
                alias == WiFiAlias
                    ? $"'{name}' names the first wireless adapter, and there is none here. Adapters here: {List(adapters)}."
                    : $"'{name}' names the first wired physical adapter that is up, and there is none here. Adapters here: {List(adapters)}.",
                "Name the adapter itself; Get-NicAdapter lists them.");
        }
        throw NotFound(name, adapters);
    }

    /// <summary>The AdapterNotFound error for <paramref name="name"/>, listing what is there.</summary>
    public static GoNetToolsException NotFound(string name, IReadOnlyCollection<NicAdapter> adapters) =>
        new(ErrorIds.AdapterNotFound, FailureKind.ObjectNotFound,
            $"No adapter named '{name}'. Adapters here: {List(adapters)}.",
            "Use one of the names listed (Tab completes them), or 'Wi-Fi' / 'Ethernet' for the first wireless / wired adapter.");

    /// <summary>"Wi-Fi" or "Ethernet" when <paramref name="name"/> spells one (WiFi, wifi, Wi-Fi, ethernet), else null.</summary>
    public static string? CanonicalAlias(string name)
    {
        var squeezed = name.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (squeezed.Equals("WiFi", StringComparison.OrdinalIgnoreCase))
        {
            return WiFiAlias;
        }
        return squeezed.Equals("Ethernet", StringComparison.OrdinalIgnoreCase) ? EthernetAlias : null;
    }

    private static NicAdapter? GenericAlias(string alias, List<NicAdapter> adapters)
    {
        var byIndex = adapters.OrderBy(a => a.Index);
        return alias == WiFiAlias
            ? byIndex.FirstOrDefault(a => a.Kind == NicKind.Wireless)
            : byIndex.FirstOrDefault(a => a.Kind == NicKind.Ethernet && a.IsPhysical && a.Status == NicStatus.Up);
    }

    private static NicAdapter? Single(IEnumerable<NicAdapter> candidates)
    {
        var list = candidates.Take(2).ToList();
        return list.Count == 1 ? list[0] : null;
    }

    private static string List(IReadOnlyCollection<NicAdapter> adapters) =>
        adapters.Count == 0 ? "(none)" : string.Join(", ", adapters.Select(a => a.Name));

    /// <summary>PowerShell-style wildcard (*, ?, [set]) as an anchored, case-insensitive regex.</summary>
    internal static Regex Glob(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    sb.Append('[').Append(pattern.AsSpan(i + 1, close - i - 1).ToString().Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        try
        {
            return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new GoNetToolsException(ErrorIds.InvalidWildcardPattern, FailureKind.InvalidArgument,
                $"'{pattern}' is not a valid adapter pattern: {e.Message}", "Use *, ? and [abc] / [a-z] with ranges in order.", e);
        }
    }
}
