using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>A module the replay fetches: its path and an exact version or a query (null means "latest").</summary>
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
        if (!ModulePath().IsMatch(path) || (version is not null && !IsVersion(version) && !IsQueryText(version)))
        {
            return false;
        }
        module = new GoModule(path, version);
        return true;
    }

    public static bool IsVersion(string text) => SemVer().IsMatch(text);

    private static bool IsQueryText(string text) => text is "latest" or "upgrade" or "patch" || PrefixQuery().IsMatch(text);

    /// <summary>The require lines of a go.mod (single and block form); throws InvalidGoMod when it is no go.mod or requires nothing.</summary>
    public static List<GoModule> FromGoMod(string text, string source)
    {
        var file = GoModFile.Parse(text, source);
        if (file.Requires.Count == 0)
        {
            throw new GoNetToolsException(ErrorIds.InvalidGoMod, FailureKind.InvalidData,
                $"{source} requires no modules, so there is nothing to download.", "Use a go.mod with require lines, or name modules with -Module.");
        }
        return file.Requires.ToList();
    }

    /// <summary>
    /// True for a version query cmd/go must resolve through the proxy first (no version, "latest", "upgrade",
    /// "patch", a major or minor prefix such as "v1" or "v1.2"); false for an exact version.
    /// </summary>
    public bool IsQuery => Version is null || !IsVersion(Version);

    /// <summary>True for a query cmd/go answers from the version list (@v/list), false for "latest"-style ones.</summary>
    public bool IsPrefixQuery => Version is not null && PrefixQuery().IsMatch(Version);

    [GeneratedRegex(@"^[A-Za-z0-9.\-_~]+(/[A-Za-z0-9.\-_~+]+)*$")]
    private static partial Regex ModulePath();

    [GeneratedRegex(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"^v\d+(\.\d+)?$")]
    private static partial Regex PrefixQuery();
}
