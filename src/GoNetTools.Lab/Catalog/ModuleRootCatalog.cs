using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.Lab.Catalog;

/// <summary>Why a module root cannot be served; the lab reports the code on its control channel.</summary>
internal sealed class CatalogException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Serves a directory in the GOMODCACHE cache/download layout (DIR/&lt;escaped path&gt;/@v/{list, V.info, V.mod,
/// V.zip}), as GOPROXY=file:// would. DIR may also be a GOMODCACHE (its cache/download is used). Versions come
/// from the list file and the .info files; the "sumdb" tree is not a module.
/// </summary>
internal sealed class ModuleRootCatalog : IModuleCatalog
{
    private readonly string _root;
    private readonly Dictionary<string, List<string>> _versions = new(StringComparer.Ordinal);
    private readonly List<string> _modules = new();

    public ModuleRootCatalog(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new CatalogException("ModuleRootNotFound", $"module root '{root}' is not a directory");
        }
        var download = Path.Combine(root, "cache", "download");
        _root = Path.GetFullPath(Directory.Exists(download) ? download : root);
        foreach (var at in Directory.EnumerateDirectories(_root, "@v", SearchOption.AllDirectories))
        {
            var escaped = Path.GetRelativePath(_root, Path.GetDirectoryName(at)!).Replace('\\', '/');
            if (escaped.StartsWith("sumdb/", StringComparison.Ordinal) || !ModuleEscaping.TryUnescape(escaped, out var path))
            {
                continue;
            }
            var versions = new HashSet<string>(StringComparer.Ordinal);
            var list = Path.Combine(at, "list");
            if (File.Exists(list))
            {
                versions.UnionWith(File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0));
            }
            foreach (var info in Directory.EnumerateFiles(at, "*.info"))
            {
                versions.Add(Path.GetFileNameWithoutExtension(info));
            }
            var sorted = versions.Select(Unescape).Where(v => v is not null && Semver.IsValid(v)).Select(v => v!).ToList();
            sorted.Sort(Semver.Compare);
            _versions[path] = sorted;
            _modules.AddRange(sorted.Where(v => Find(path, v, "zip") is not null && Find(path, v, "mod") is not null && Find(path, v, "info") is not null)
                .Select(v => path + "@" + v));
        }
        _modules.Sort(StringComparer.Ordinal);
        if (_versions.Count == 0)
        {
            throw new CatalogException("ModuleRootEmpty", $"module root '{_root}' holds no module (no <module>/@v directory)");
        }
    }

    public IReadOnlyList<string> Modules => _modules;

    public IReadOnlyList<string>? Versions(string modulePath) => _versions.TryGetValue(modulePath, out var v) ? v : null;

    public ModuleFile? Find(string modulePath, string version, string extension)
    {
        if (!_versions.ContainsKey(modulePath))
        {
            return null;
        }
        var file = Path.Combine(_root, ModuleEscaping.Escape(modulePath), "@v", ModuleEscaping.Escape(version) + "." + extension);
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            return null;
        }
        var type = extension switch { "info" => "application/json", "zip" => "application/zip", _ => "text/plain; charset=utf-8" };
        var etag = $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"";
        return new ModuleFile(type, etag, FilePath: file, LastModified: info.LastWriteTimeUtc);
    }

    private static string? Unescape(string version) => ModuleEscaping.TryUnescape(version, out var v) ? v : null;
}
