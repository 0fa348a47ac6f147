using System;
using System.Collections.Generic;
using System.IO;

namespace GoNetTools.Workstation;

/// <summary>
/// Where go keeps its caches when `go env` cannot be asked: GOCACHE is os.UserCacheDir()/go-build ($XDG_CACHE_HOME or
/// ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on Windows); GOMODCACHE is the first GOPATH entry
/// (default ~/go) + /pkg/mod. Environment variables win, as they do for go.
/// </summary>
internal static class GoDefaults
{
    public static Dictionary<string, string> Locations()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cacheDir = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches")
            : Env("XDG_CACHE_HOME") ?? Path.Combine(home, ".cache");
        var gopath = (Env("GOPATH") ?? Path.Combine(home, "go")).Split(Path.PathSeparator)[0];
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GOCACHE"] = Env("GOCACHE") ?? Path.Combine(cacheDir, "go-build"),
            ["GOMODCACHE"] = Env("GOMODCACHE") ?? Path.Combine(gopath, "pkg", "mod"),
        };
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
