using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace GoNetTools.GoProxy;

/// <summary>A module the load fetches: its path and, when known, the version.</summary>
internal sealed partial record GoModule(string Path, string? Version)
{
    /// <summary>A small set of widely used modules, for a public proxy when nothing else names modules.</summary>
    public static readonly GoModule[] Defaults =
    {
        new("golang.org/x/text", null),
        new("golang.org/x/net", null),
        new("golang.org/x/sys", null),
        new("github.com/google/uuid", null),
        new("github.com/pkg/errors", null),
        new("github.com/stretchr/testify", null),
        new("gopkg.in/yaml.v3", null),
        new("github.com/BurntSushi/toml", null),
    };

    public override string ToString() => Version is null ? Path : $"{Path}@{Version}";

    /// <summary>"path" or "path@version"; false for anything that cannot be a module path.</summary>
    public static bool TryParse(string text, out GoModule module)
    {
        module = new GoModule("", null);
        var at = text.LastIndexOf('@');
        var path = (at < 0 ? text : text[..at]).Trim();
        var version = at < 0 ? null : text[(at + 1)..].Trim();
        if (!ModulePath().IsMatch(path) || (version is not null && !IsVersion(version)))
        {
            return false;
        }
        module = new GoModule(path, version);
        return true;
    }

    public static bool IsVersion(string text) => SemVer().IsMatch(text);

    /// <summary>
    /// GOPROXY's case encoding (golang.org/x/mod/module.EscapePath): every upper-case letter becomes '!' and
    /// its lower-case form, so case-insensitive file systems can serve the paths.
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is >= 'A' and <= 'Z')
            {
                builder.Append('!').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The require lines of a go.mod (single and block form); throws InvalidGoMod when it is no go.mod.</summary>
    public static List<GoModule> FromGoMod(string text, string source)
    {
        var modules = new List<GoModule>();
        bool sawModule = false, inRequire = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("module ", StringComparison.Ordinal) || line.StartsWith("module\t", StringComparison.Ordinal))
            {
                sawModule = true;
            }
            else if (inRequire)
            {
                if (line == ")")
                {
                    inRequire = false;
                }
                else
                {
                    AddRequire(line, modules);
                }
            }
            else if (line.StartsWith("require", StringComparison.Ordinal))
            {
                var rest = line["require".Length..].Trim();
                if (rest == "(")
                {
                    inRequire = true;
                }
                else
                {
                    AddRequire(rest, modules);
                }
            }
        }
        if (!sawModule)
        {
            throw new GoNetToolsException(ErrorIds.InvalidGoMod, FailureKind.InvalidData,
                $"{source} is not a go.mod file: it has no 'module' line.", "Give the path of a go.mod file (a Go module's root).");
        }
        if (modules.Count == 0)
        {
            throw new GoNetToolsException(ErrorIds.InvalidGoMod, FailureKind.InvalidData,
                $"{source} requires no modules, so there is nothing to download.", "Use a go.mod with require lines, or name modules with -Module.");
        }
        return modules;
    }

    private static void AddRequire(string line, List<GoModule> modules)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && TryParse($"{Unquote(parts[0])}@{parts[1]}", out var module))
        {
            modules.Add(module);
        }
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;

    private static string StripComment(string line)
    {
        var i = line.IndexOf("//", StringComparison.Ordinal);
        return i < 0 ? line : line[..i];
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-_~]+(/[A-Za-z0-9.\-_~+]+)*$")]
    private static partial Regex ModulePath();

    [GeneratedRegex(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?$")]
    private static partial Regex SemVer();
}
