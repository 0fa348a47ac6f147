using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.Lab.Catalog;

/// <summary>
/// A catalog generated at start: <c>count</c> modules with <c>versions</c> versions each (v1.0.0, v1.1.0, …).
/// Every third module path has upper-case letters, so clients must use the '!' case-encoding. Zips are what
/// cmd/go accepts: every entry under "path@version/", a go.mod equal to the .mod file, a Go source file and
/// a payload file padding the zip to about <c>size</c> bytes (stored, not deflated, so the size holds).
/// </summary>
internal sealed class SyntheticCatalog : IModuleCatalog
{
    public const string Host = "lab.gonettools.test";
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, SortedDictionary<string, Dictionary<string, ModuleFile>>> _modules = new(StringComparer.Ordinal);
    private readonly List<string> _list = new();

    public SyntheticCatalog(int count, int versions, int size)
    {
        for (var i = 0; i < count; i++)
        {
            var path = ModulePath(i);
            var files = new SortedDictionary<string, Dictionary<string, ModuleFile>>(Comparer<string>.Create(Semver.Compare));
            for (var v = 0; v < versions; v++)
            {
                var version = $"v1.{v}.0";
                var time = Epoch.AddDays(i + v);
                var goMod = Encoding.UTF8.GetBytes($"module {path}\n\ngo 1.18\n");
                var info = Encoding.UTF8.GetBytes($"{{\"Version\":\"{version}\",\"Time\":\"{time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\"}}\n");
                files[version] = new Dictionary<string, ModuleFile>(StringComparer.Ordinal)
                {
                    ["info"] = Make("application/json", info, time),
                    ["mod"] = Make("text/plain; charset=utf-8", goMod, time),
                    ["zip"] = Make("application/zip", Zip(path, version, i, goMod, size, time), time),
                };
                _list.Add(path + "@" + version);
            }
            _modules[path] = files;
        }
    }

    public IReadOnlyList<string> Modules => _list;

    /// <summary>lab.gonettools.test/mod000, …/mod001, …/Mixed/Mod002, …</summary>
    public static string ModulePath(int index) =>
        index % 3 == 2
            ? string.Create(CultureInfo.InvariantCulture, $"{Host}/Mixed/Mod{index:D3}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}/mod{index:D3}");

    public IReadOnlyList<string>? Versions(string modulePath) =>
        _modules.TryGetValue(modulePath, out var files) ? files.Keys.ToList() : null;

    public ModuleFile? Find(string modulePath, string version, string extension) =>
        _modules.TryGetValue(modulePath, out var files) && files.TryGetValue(version, out var byExt) && byExt.TryGetValue(extension, out var file)
            ? file
            : null;

    private static ModuleFile Make(string contentType, byte[] content, DateTimeOffset time) =>
        new(contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"", content, LastModified: time);

    private static byte[] Zip(string path, string version, int index, byte[] goMod, int size, DateTimeOffset time)
    {
        var prefix = path + "@" + version + "/";
        var package = "mod" + index.ToString("D3", CultureInfo.InvariantCulture);
        var source = Encoding.UTF8.GetBytes($"// Package {package} is a synthetic module served by the GoNetTools lab GOPROXY.\npackage {package}\n\n// Version is the module version this file shipped in.\nconst Version = \"{version}\"\n");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, prefix + "go.mod", goMod, time);
            Add(zip, prefix + package + ".go", source, time);
            var padding = Math.Max(0, size - (int)buffer.Length - goMod.Length - source.Length - 400);
            if (padding > 0)
            {
                Add(zip, prefix + "payload.txt", Payload(path + version, padding), time);
            }
        }
        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content, DateTimeOffset time)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = time;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>Deterministic hex lines (seeded by module and version), so every start serves the same bytes.</summary>
    private static byte[] Payload(string seed, int length)
    {
        var bytes = new byte[length];
        var block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (var i = 0; i < length; i++)
        {
            if (i % 64 == 0)
            {
                block = SHA256.HashData(block);
            }
            bytes[i] = i % 65 == 64 ? (byte)'\n' : (byte)"0123456789abcdef"[block[i % 32] & 0xf];
        }
        return bytes;
    }
}
