using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.GoProxy;

/// <summary>
/// One module of `go mod download`, in cmd/go's order (Go 1.19, checked against `go mod download -x`):
/// resolving (sequential in cmd/go: modload.ListModules) asks path@version → .info and .mod; a query (latest,
/// v1, v1.2) → @v/list for the query (and @latest only when the list is empty), then the retraction check on the
/// latest version (@v/list again unless the query was "latest", its .info and .mod), then the chosen version's
/// .info and .mod. Downloading (GOMAXPROCS in parallel) asks .zip (and .mod if not yet here). The first 404/410
/// that no other GOPROXY entry answers ends the module: one NotFound.
/// </summary>
internal static class ReplayModule
{
    /// <summary>The version to download, or null when the module failed or was not found (already judged and logged).</summary>
    public static async Task<string?> ResolveAsync(ReplayFiles files, GoModule module)
    {
        if (!module.IsQuery)
        {
            var version = module.Version!;
            return await Ok(files, module, files.InfoAsync(module.Path, version)).ConfigureAwait(false)
                && await Ok(files, module, files.ModAsync(module.Path, version)).ConfigureAwait(false)
                ? version
                : null;
        }
        var prefix = module.IsPrefixQuery ? module.Version! : "";
        var list = await files.ListAsync(module.Path, prefix).ConfigureAwait(false);
        if (!Ok(files, module, list))
        {
            return null;
        }
        var chosen = Pick(list.Body, prefix);
        if (chosen is null && prefix.Length == 0)
        {
            var latest = await files.LatestAsync(module.Path).ConfigureAwait(false);
            if (!Ok(files, module, latest))
            {
                return null;
            }
            chosen = VersionOfInfo(latest.Body);
        }
        if (chosen is null)
        {
            return null;
        }
        // The retraction check (modload.CheckRetractions): the latest version's .info and go.mod.
        var all = prefix.Length == 0 ? list : await files.ListAsync(module.Path, "").ConfigureAwait(false);
        var latestVersion = Pick(all.Body, "") ?? chosen;
        foreach (var version in latestVersion == chosen ? new[] { chosen } : new[] { latestVersion, chosen })
        {
            if (!await Ok(files, module, files.InfoAsync(module.Path, version)).ConfigureAwait(false)
                || !await Ok(files, module, files.ModAsync(module.Path, version)).ConfigureAwait(false))
            {
                return null;
            }
        }
        return chosen;
    }

    /// <summary>The download step: go.mod if this round has not asked for it yet, then the zip.</summary>
    public static async Task DownloadAsync(ReplayFiles files, GoModule module)
    {
        if (!files.Asked(module.Path, module.Version!, "mod") && !await Ok(files, module, files.ModAsync(module.Path, module.Version!)).ConfigureAwait(false))
        {
            return;
        }
        await Ok(files, module, files.ZipAsync(module.Path, module.Version!)).ConfigureAwait(false);
    }

    private static async Task<bool> Ok(ReplayFiles files, GoModule module, Task<FetchOutcome> fetch) => Ok(files, module, await fetch.ConfigureAwait(false));

    private static bool Ok(ReplayFiles files, GoModule module, FetchOutcome outcome)
    {
        if (outcome.Status == FetchStatus.NotFound)
        {
            files.Log.ModuleNotFound(module.ToString());
        }
        return outcome.Status == FetchStatus.Ok;
    }

    /// <summary>The highest semantic version in a list body; null when no line is a version.</summary>
    public static string? LatestFromList(string? body) => Pick(body, "");

    /// <summary>
    /// What a query picks from @v/list: the highest release with the prefix ("" for latest, "v1", "v1.2"), else the
    /// highest pre-release; null when none matches.
    /// </summary>
    public static string? Pick(string? body, string prefix)
    {
        if (body is null)
        {
            return null;
        }
        var versions = body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(v => Semver.IsValid(v) && (prefix.Length == 0 || v == prefix || v.StartsWith(prefix + ".", StringComparison.Ordinal)))
            .ToList();
        var releases = versions.Where(v => !Semver.IsPrerelease(v)).ToList();
        var pool = releases.Count > 0 ? releases : versions;
        return pool.Count == 0 ? null : pool.Aggregate((a, b) => Semver.Compare(a, b) >= 0 ? a : b);
    }

    private static string? VersionOfInfo(string? json)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            return document.RootElement.TryGetProperty("Version", out var v) && v.GetString() is { } s && Semver.IsValid(s) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
