using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// -GoMod against the real go client: a small module graph (pruned and unpruned go.mod files, a version two
/// modules disagree on, a requirement only reachable through an unselected version) served by nginx; `go mod
/// download` in the main module and one -GoMod round must ask nginx for the same files.
/// </summary>
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class GoModGraphPeerTests : IDisposable
{
    // path@version → go version of its go.mod, requirements.
    private static readonly (string Module, string Go, string[] Requires)[] Graph =
    {
        ("dep.gonettools.test/a@v1.0.0", "1.17", new[] { "dep.gonettools.test/b v1.0.0", "dep.gonettools.test/c v1.1.0" }),
        ("dep.gonettools.test/b@v1.0.0", "1.16", new[] { "dep.gonettools.test/c v1.2.0", "dep.gonettools.test/d v1.0.0" }),
        ("dep.gonettools.test/c@v1.1.0", "1.19", new[] { "dep.gonettools.test/f v1.0.0" }),
        ("dep.gonettools.test/c@v1.2.0", "1.19", Array.Empty<string>()),
        ("dep.gonettools.test/d@v1.0.0", "1.19", new[] { "dep.gonettools.test/e v1.0.0" }),
        ("dep.gonettools.test/e@v1.0.0", "1.19", Array.Empty<string>()),
        ("dep.gonettools.test/f@v1.0.0", "1.19", Array.Empty<string>()),
    };

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gnt-gomod-graph-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Docroot()
    {
        var docroot = Path.Combine(_root.FullName, "download");
        var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var group in Graph.GroupBy(g => g.Module.Split('@')[0]))
        {
            var dir = Path.Combine(docroot, group.Key, "@v");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "list"), string.Concat(group.Select(g => g.Module.Split('@')[1] + "\n")));
            foreach (var (module, go, requires) in group)
            {
                var (path, version) = (module.Split('@')[0], module.Split('@')[1]);
                var goMod = $"module {path}\n\ngo {go}\n" + (requires.Length == 0 ? "" : "\nrequire (\n" + string.Concat(requires.Select(r => $"\t{r}\n")) + ")\n");
                File.WriteAllText(Path.Combine(dir, version + ".mod"), goMod);
                File.WriteAllText(Path.Combine(dir, version + ".info"), $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-01T00:00:00Z\"}}\n");
                using var zip = ZipFile.Open(Path.Combine(dir, version + ".zip"), ZipArchiveMode.Create);
                foreach (var (name, content) in new[] { ("go.mod", goMod), (path.Split('/')[^1] + ".go", $"package {path.Split('/')[^1]}\n") })
                {
                    var entry = zip.CreateEntry($"{module}/{name}");
                    entry.LastWriteTime = time;
                    using var stream = entry.Open();
                    stream.Write(Encoding.UTF8.GetBytes(content));
                }
            }
        }
        return docroot;
    }

    private string MainModule(string goVersion)
    {
        var dir = Path.Combine(_root.FullName, "main-" + goVersion);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "go.mod"),
            $"module example.com/main\n\ngo {goVersion}\n\nrequire (\n\tdep.gonettools.test/a v1.0.0\n\tdep.gonettools.test/b v1.0.0\n)\n");
        return dir;
    }

    [SkippableTheory]
    [InlineData("1.19")]
    [InlineData("1.16")]
    public void A_GoMod_round_asks_for_what_go_mod_download_in_that_module_asks(string goVersion)
    {
        using var nginx = NginxPeer.Start(Docroot());
        var main = MainModule(goVersion);
        int goCount;
        using (var go = new GoTool())
        {
            var (code, stdout, stderr) = go.Run("mod download", nginx.GoEnvironment, workingDirectory: main);
            Assert.True(code == 0, stderr + stdout);
            goCount = nginx.AccessLog(atLeast: 1).Requests.Count;
        }
        var goUris = nginx.AccessLog().Requests.Select(q => q.Uri).OrderBy(u => u, StringComparer.Ordinal).ToList();
        // The walk is the point. Unpruned (go 1.16), go reads a go.mod it never downloads (c v1.1.0, a's requirement,
        // loses to b's v1.2.0); pruned (go 1.19), a's go 1.17 go.mod is complete and its requirements are not read.
        Assert.Equal(goVersion == "1.16", goUris.Contains("/dep.gonettools.test/c/@v/v1.1.0.mod"));
        Assert.DoesNotContain("/dep.gonettools.test/c/@v/v1.1.0.zip", goUris);

        using var rs = new ModuleRunspace();
        var p = rs.Invoke($"$env:SSL_CERT_FILE = '{nginx.Certificates.CaPath}'; Test-GoProxyStability -Proxy {nginx.Url.ToString().TrimEnd('/')} -GoMod '{main}' -Rounds 1");
        Assert.Empty(p.AllErrors);
        var r = Assert.Single(p.Objects<GoProxyStabilityResult>());
        var ours = nginx.AccessLog(atLeast: goCount * 2).Requests.Skip(goCount).Select(q => q.Uri).OrderBy(u => u, StringComparer.Ordinal).ToList();
        Assert.True(goUris.SequenceEqual(ours), $"go: {string.Join(" ", goUris.Select(u => u.Replace("/dep.gonettools.test/", "").Replace("/@v/", "@")))}\nours: {string.Join(" ", ours.Select(u => u.Replace("/dep.gonettools.test/", "").Replace("/@v/", "@")))}");
        Assert.Equal(goCount, r.Requests);
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
    }
}
