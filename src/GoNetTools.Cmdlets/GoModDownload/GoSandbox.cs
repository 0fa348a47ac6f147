using System.Collections.Generic;
using System.IO;

namespace GoNetTools.GoModDownload;

/// <summary>
/// The environment that keeps a go run away from the user's Go setup: HOME, GOPATH, GOMODCACHE, GOCACHE and go's
/// temporary files all under <c>root</c> (a private directory the caller owns and deletes), the local toolchain
/// only, no go.work. A user's GOCACHE and GOMODCACHE are never read or written, and never cleaned: `go clean
/// -cache -modcache` on someone's machine throws away hours of downloads. Measure-GoModDownload, Measure-GoBuild,
/// Test-GoWorkstation's go list probe and Test-NetworkUnderLoad's load all start go with it.
/// </summary>
internal static class GoSandbox
{
    /// <summary>The variables to set (null removes one) for a go run whose caches live under <paramref name="root"/>.</summary>
    public static Dictionary<string, string?> Environment(string root, string? goCache = null)
    {
        var temp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        return new Dictionary<string, string?>
        {
            ["HOME"] = root,
            ["XDG_CACHE_HOME"] = Path.Combine(root, "cache"),
            ["XDG_CONFIG_HOME"] = Path.Combine(root, "config"),
            ["GOPATH"] = Path.Combine(root, "gopath"),
            ["GOMODCACHE"] = Path.Combine(root, "gopath", "pkg", "mod"),
            ["GOCACHE"] = goCache ?? Path.Combine(root, "gocache"),
            // go's own temporary files stay in the private directory too, never in a shared TMPDIR.
            ["TMPDIR"] = temp,
            ["GOTMPDIR"] = temp,
            ["GOFLAGS"] = "-modcacherw",
            ["GOTOOLCHAIN"] = "local",
            ["GOWORK"] = null,
        };
    }
}
