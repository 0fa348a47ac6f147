using System;
using System.Text.RegularExpressions;

namespace GoNetTools.Protocols.GoModules;

/// <summary>Semantic-version order as Go's golang.org/x/mod/semver compares "vMAJOR.MINOR.PATCH[-pre][+build]".</summary>
internal static partial class Semver
{
    [GeneratedRegex(@"^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionRegex();

    // cmd/go's pseudo-version shape (module.IsPseudoVersion): never listed by @v/list.
    [GeneratedRegex(@"^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex PseudoRegex();

    public static bool IsValid(string v) => VersionRegex().IsMatch(v);

    public static bool IsPseudo(string v) => PseudoRegex().IsMatch(v);

    public static bool IsPrerelease(string v) => VersionRegex().Match(v) is { Success: true } m && m.Groups[4].Success;

    public static int Compare(string a, string b)
    {
        var ma = VersionRegex().Match(a);
        var mb = VersionRegex().Match(b);
        if (!ma.Success || !mb.Success)
        {
            return ma.Success.CompareTo(mb.Success) is var c and not 0 ? c : string.CompareOrdinal(a, b);
        }
        for (var g = 1; g <= 3; g++)
        {
            var c = CompareNumeric(ma.Groups[g].Value, mb.Groups[g].Value);
            if (c != 0)
            {
                return c;
            }
        }
        var pa = ma.Groups[4];
        var pb = mb.Groups[4];
        if (!pa.Success || !pb.Success)
        {
            return pa.Success == pb.Success ? 0 : pa.Success ? -1 : 1;
        }
        var ia = pa.Value.Split('.');
        var ib = pb.Value.Split('.');
        for (var i = 0; i < Math.Min(ia.Length, ib.Length); i++)
        {
            var na = IsNumber(ia[i]);
            var nb = IsNumber(ib[i]);
            var c = na && nb ? CompareNumeric(ia[i], ib[i]) : na != nb ? (na ? -1 : 1) : string.CompareOrdinal(ia[i], ib[i]);
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }
        return ia.Length.CompareTo(ib.Length);
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    private static int CompareNumeric(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(string.CompareOrdinal(a, b));
    }
}
