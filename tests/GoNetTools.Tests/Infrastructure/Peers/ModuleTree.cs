using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.GoProxy;
using Xunit;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// A module cache the real `go` client filled (`go mod download` from a lab, nothing from the network), whose
/// <see cref="DownloadDir"/> (GOMODCACHE/cache/download) any static file server can serve as a GOPROXY: the files
/// there are exactly the GOPROXY protocol's paths (case-encoded `!x` module paths, @v/list, .info, .mod, .zip).
/// Trees are made once per test run and per shape (<see cref="Shared"/>), and are read-only for tests.
/// </summary>
public sealed class ModuleTree
{
    private static readonly ConcurrentDictionary<string, Lazy<ModuleTree>> Trees = new();

    private ModuleTree(string root, IReadOnlyList<string> modules)
    {
        Root = root;
        Modules = modules;
    }

    /// <summary>The GOMODCACHE directory.</summary>
    public string Root { get; }

    /// <summary>GOMODCACHE/cache/download: the docroot a server serves as a GOPROXY.</summary>
    public string DownloadDir => Path.Combine(Root, "cache", "download");

    /// <summary>The module versions the tree holds, "path@version", in the lab's order.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>
    /// <paramref name="modules"/> synthetic lab modules (lab.gonettools.test/mod000, …/mod001, …/Mixed/Mod002, …)
    /// with <paramref name="versions"/> versions each (v1.0.0, v1.1.0, …), downloaded once per run by `go`.
    /// </summary>
    public static ModuleTree Shared(int modules = 20, int versions = 2) =>
        Trees.GetOrAdd($"{modules}x{versions}", _ => new Lazy<ModuleTree>(() => Fill(modules, versions))).Value;

    /// <summary>
    /// A copy of this tree's docroot without the given module versions ("path@version": its .info, .mod and .zip
    /// are missing, so a server answers 404; @v/list still names it) or whole modules ("path": its directory is
    /// missing). Made once per run.
    /// </summary>
    public ModuleTree Without(params string[] removed)
    {
        var key = Root + "|without|" + string.Join(',', removed.OrderBy(r => r, StringComparer.Ordinal));
        return Trees.GetOrAdd(key, _ => new Lazy<ModuleTree>(() => CopyWithout(removed))).Value;
    }

    /// <summary>A version of <paramref name="modulePath"/> this tree does not hold (v1.99.0): a GOPROXY answers 404.</summary>
    public string AbsentVersion(string modulePath)
    {
        var absent = modulePath + "@v1.99.0";
        Assert.DoesNotContain(absent, Modules);
        return absent;
    }

    /// <summary>The first <paramref name="count"/> module versions (the lab's order).</summary>
    public string[] Take(int count)
    {
        Assert.True(count <= Modules.Count, $"the tree holds {Modules.Count} module versions, {count} asked");
        return Modules.Take(count).ToArray();
    }

    /// <summary>The server-side path of a module version's file (kind "info", "mod" or "zip"), case-encoded.</summary>
    public string FilePath(string moduleVersion, string kind)
    {
        var (path, version) = Split(moduleVersion);
        return Path.Combine(DownloadDir, ModuleEscaping.Escape(path), "@v", ModuleEscaping.Escape(version) + "." + kind);
    }

    /// <summary>The GOPROXY URL path of a module version's file: "/lab.gonettools.test/!mixed/!mod002/@v/v1.0.0.info".</summary>
    public static string UrlPath(string moduleVersion, string kind)
    {
        var (path, version) = Split(moduleVersion);
        return "/" + ModuleEscaping.Escape(path) + "/@v/" + ModuleEscaping.Escape(version) + "." + kind;
    }

    private static (string Path, string Version) Split(string moduleVersion)
    {
        var at = moduleVersion.LastIndexOf('@');
        return (moduleVersion[..at], moduleVersion[(at + 1)..]);
    }

    private static ModuleTree Fill(int modules, int versions)
    {
        var root = Path.Combine(PeerRun.Root, $"modcache-{modules}x{versions}");
        using var lab = LabSession.Start($"-SyntheticModules {modules} -SyntheticVersions {versions}");
        using var go = new GoTool();
        var env = new System.Collections.Hashtable(lab.Lab.GoEnvironment) { ["GOMODCACHE"] = root };
        var (code, stdout, stderr) = go.Run("mod download " + string.Join(' ', lab.Lab.Modules), env);
        Assert.True(code == 0, $"go mod download into {root} failed ({code}): {stderr}\n{stdout}");
        var tree = new ModuleTree(root, lab.Lab.Modules);
        foreach (var m in tree.Modules)
        {
            Assert.True(File.Exists(tree.FilePath(m, "zip")), $"go did not leave {tree.FilePath(m, "zip")}");
        }
        return tree;
    }

    private ModuleTree CopyWithout(string[] removed)
    {
        foreach (var r in removed)
        {
            Assert.True(Modules.Any(m => m == r || Split(m).Path == r), $"{r} is not in the tree, so removing it proves nothing");
        }
        var root = Directory.CreateDirectory(Path.Combine(PeerRun.Root, "tree-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        // Only the docroot: the extracted module sources beside it are not served.
        CopyDirectory(DownloadDir, Path.Combine(root, "cache", "download"));
        var kept = new List<string>();
        foreach (var m in Modules)
        {
            var (path, _) = Split(m);
            if (removed.Contains(m))
            {
                foreach (var kind in new[] { "info", "mod", "zip", "ziphash", "lock" })
                {
                    File.Delete(Rebase(FilePath(m, kind), root));
                }
            }
            else if (removed.Contains(path))
            {
                var dir = Path.Combine(root, "cache", "download", ModuleEscaping.Escape(path));
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            else
            {
                kept.Add(m);
            }
        }
        return new ModuleTree(root, kept);
    }

    private string Rebase(string path, string newRoot) => Path.Combine(newRoot, Path.GetRelativePath(Root, path));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
