using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.Lab.Catalog;

/// <summary>One GOPROXY file (.info, .mod or .zip): bytes in memory, or a file on disk.</summary>
internal sealed record ModuleFile(string ContentType, string ETag, byte[]? Content = null, string? FilePath = null, DateTimeOffset? LastModified = null);

/// <summary>What the lab serves: modules, their versions, and the files of each version.</summary>
internal interface IModuleCatalog
{
    /// <summary>Every downloadable module version as "path@version" (it has .info, .mod and .zip).</summary>
    IReadOnlyList<string> Modules { get; }

    /// <summary>The module's versions in semver order, or null for a module the catalog does not hold.</summary>
    IReadOnlyList<string>? Versions(string modulePath);

    /// <summary>The file for "info", "mod" or "zip", or null.</summary>
    ModuleFile? Find(string modulePath, string version, string extension);
}

internal static class ModuleCatalogExtensions
{
    /// <summary>What @latest answers, as cmd/go's proxy protocol expects: the highest release, else the highest pre-release.</summary>
    public static string? Latest(this IModuleCatalog catalog, string modulePath)
    {
        var versions = catalog.Versions(modulePath);
        if (versions is null || versions.Count == 0)
        {
            return null;
        }
        return versions.LastOrDefault(v => !Semver.IsPrerelease(v)) ?? versions[^1];
    }

    /// <summary>The @v/list body: tagged versions only (pseudo-versions are never listed), one per line.</summary>
    public static string ListBody(this IModuleCatalog catalog, string modulePath) =>
        string.Concat((catalog.Versions(modulePath) ?? []).Where(v => !Semver.IsPseudo(v)).Select(v => v + "\n"));
}
