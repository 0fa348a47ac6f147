using System;
using System.Collections.Generic;
using System.Globalization;
using GoNetTools.Protocols.GoModules;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// What minimal version selection reads from a go.mod: the module path, the go version (1.17 and later prune the
/// module graph), require, exclude and replace directives (single-line and block forms, // comments, quoted
/// paths). The one go.mod reader of the module.
/// </summary>
internal sealed class GoModFile
{
    public string ModulePath { get; private set; } = "";

    /// <summary>The `go` directive ("1.19"), or null when absent (cmd/go then assumes 1.16: unpruned).</summary>
    public string? GoVersion { get; private set; }

    public List<GoModule> Requires { get; } = new();

    public HashSet<string> Excludes { get; } = new(StringComparer.Ordinal);

    /// <summary>path (or path@version) → replacement: a module version, or null for a local directory (nothing to fetch).</summary>
    public Dictionary<string, GoModule?> Replaces { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// cmd/go's graph pruning: a go.mod at go 1.17 or later lists everything its packages need, so the requirements
    /// of its requirements are not read (modload: summary.pruning).
    /// </summary>
    public bool Pruned => GoVersion is { } v && CompareGo(v, "1.17") >= 0;

    /// <summary>Parses go.mod text; throws InvalidGoMod when it has no module line and <paramref name="needModuleLine"/> is set.</summary>
    public static GoModFile Parse(string text, string source, bool needModuleLine = true)
    {
        var file = new GoModFile();
        bool sawModule = false;
        string? block = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (block is not null)
            {
                if (line == ")")
                {
                    block = null;
                }
                else
                {
                    file.Directive(block, line);
                }
                continue;
            }
            var space = line.IndexOfAny(new[] { ' ', '\t', '(' });
            var verb = space < 0 ? line : line[..space];
            var rest = space < 0 ? "" : line[space..].Trim();
            if (verb == "module")
            {
                sawModule = true;
                file.ModulePath = Unquote(rest);
            }
            else if (rest == "(")
            {
                block = verb;
            }
            else
            {
                file.Directive(verb, rest);
            }
        }
        if (!sawModule && needModuleLine)
        {
            throw new GoNetToolsException(ErrorIds.InvalidGoMod, FailureKind.InvalidData,
                $"{source} is not a go.mod file: it has no 'module' line.", "Give the path of a go.mod file (a Go module's root).");
        }
        return file;
    }

    private void Directive(string verb, string text)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        switch (verb)
        {
            case "go" when parts.Length >= 1:
                GoVersion = parts[0];
                break;
            case "require" when parts.Length >= 2 && GoModule.TryParse($"{Unquote(parts[0])}@{parts[1]}", out var required) && !required.IsQuery:
                Requires.Add(required);
                break;
            case "exclude" when parts.Length >= 2:
                Excludes.Add($"{Unquote(parts[0])}@{parts[1]}");
                break;
            case "replace":
                AddReplace(parts);
                break;
        }
    }

    /// <summary>"old [v] => new [v]": a new path without a version is a directory on disk.</summary>
    private void AddReplace(string[] parts)
    {
        int arrow = Array.IndexOf(parts, "=>");
        if (arrow is < 1 or > 2 || arrow + 1 >= parts.Length)
        {
            return;
        }
        var old = Unquote(parts[0]) + (arrow == 2 ? "@" + parts[1] : "");
        var target = Unquote(parts[arrow + 1]);
        Replaces[old] = arrow + 2 < parts.Length && GoModule.TryParse($"{target}@{parts[arrow + 2]}", out var module) ? module : null;
    }

    /// <summary>The module version to fetch in place of <paramref name="module"/>; null when a directory replaces it.</summary>
    public GoModule? Replace(GoModule module)
    {
        if (Replaces.TryGetValue(module.ToString(), out var exact))
        {
            return exact;
        }
        return Replaces.TryGetValue(module.Path, out var any) ? any : module;
    }

    /// <summary>Compares go directive versions ("1.9" &lt; "1.17" &lt; "1.21.0").</summary>
    public static int CompareGo(string a, string b)
    {
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (int i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            int x = i < pa.Length && int.TryParse(pa[i], NumberStyles.None, CultureInfo.InvariantCulture, out var va) ? va : 0;
            int y = i < pb.Length && int.TryParse(pb[i], NumberStyles.None, CultureInfo.InvariantCulture, out var vb) ? vb : 0;
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }
        return 0;
    }

    /// <summary>Semantic version order (golang.org/x/mod/semver), shared with the lab's catalog.</summary>
    public static int CompareVersions(string a, string b) => Semver.Compare(a, b);

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;

    private static string StripComment(string line)
    {
        var i = line.IndexOf("//", StringComparison.Ordinal);
        return i < 0 ? line : line[..i];
    }
}
