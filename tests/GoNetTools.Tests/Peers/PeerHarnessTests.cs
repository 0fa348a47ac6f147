using System;
using System.IO;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.Peers;

/// <summary>The harness's own promises: private directories, the trees' content, the logs' parsers on real lines.</summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class PeerHarnessTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [SkippableFact]
    public void Run_directory_and_peer_directories_are_private_and_the_key_is_0600()
    {
        Assert.Equal(Private, File.GetUnixFileMode(PeerRun.Root));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PeerCertificates.Shared.KeyPath));
        using var nginx = NginxPeer.Start(ModuleTree.Shared().DownloadDir);
        Assert.Equal(Private, File.GetUnixFileMode(nginx.Directory));
        Assert.StartsWith(Path.GetTempPath(), nginx.Directory, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/nginx", File.ReadAllText(nginx.ConfigPath), StringComparison.Ordinal);
        var dir = nginx.Directory;
        nginx.Dispose();
        Assert.False(Directory.Exists(dir));
    }

    [SkippableFact]
    public void The_shared_tree_holds_every_file_go_fetched_and_a_copy_without_a_version_lacks_only_that()
    {
        var tree = ModuleTree.Shared();
        Assert.Equal(40, tree.Modules.Count);
        Assert.Contains("lab.gonettools.test/Mixed/Mod002@v1.1.0", tree.Modules);
        Assert.True(File.Exists(Path.Combine(tree.DownloadDir, "lab.gonettools.test", "!mixed", "!mod002", "@v", "v1.1.0.zip")));
        Assert.Same(tree, ModuleTree.Shared());

        const string removed = "lab.gonettools.test/mod001@v1.0.0";
        var without = tree.Without(removed);
        Assert.Same(without, tree.Without(removed));
        Assert.Equal(tree.Modules.Where(m => m != removed), without.Modules);
        Assert.All(new[] { "info", "mod", "zip" }, kind =>
        {
            Assert.True(File.Exists(tree.FilePath(removed, kind)));
            Assert.False(File.Exists(without.FilePath(removed, kind)));
            Assert.True(File.Exists(without.FilePath("lab.gonettools.test/mod001@v1.1.0", kind)));
        });
        Assert.Throws<Xunit.Sdk.TrueException>(() => tree.Without("lab.gonettools.test/nosuch@v1.0.0"));
    }

    [SkippableFact]
    public void Nginx_debug_log_lines_parse_as_recorded_and_other_lines_do_not()
    {
        var log = NginxDebugLog.Parse(new[]
        {
            "2026/12/01 15:09:14 [debug] 11539#11539: *1 http2 send GOAWAY frame: last sid 99, error 0",
            "2026/12/01 15:09:14 [debug] 11539#11539: *7 http2 send RST_STREAM frame sid:3, status:8",
            "2026/12/01 15:09:14 [debug] 11539#11539: *1 http2 frame type:7 f:0 l:8 sid:0",
            "2026/12/01 15:09:14 [debug] 11539#11539: *1 http2 close stream 99, queued 0, processing 1, pushing 0",
        });
        var goAway = Assert.Single(log.GoAways);
        Assert.Equal((1L, 99, 0u), (goAway.Connection, goAway.StreamId, goAway.ErrorCode));
        var reset = Assert.Single(log.RstStreams);
        Assert.Equal((7L, 3, 8u), (reset.Connection, reset.StreamId, reset.ErrorCode));
    }

    [SkippableFact]
    public void Access_log_lines_parse_and_a_changed_format_shows_as_malformed()
    {
        var log = NginxAccessLog.Parse(new[]
        {
            "3 1 200 0.000 1796137754.567 HTTP/2.0 127.0.0.1 37462 178 GET /lab.gonettools.test/%21mixed/%21mod002/@v/v1.0.0.info",
            "3 2 503 0.000 1796137754.568 HTTP/2.0 127.0.0.1 37462 354 GET /lab.gonettools.test/mod000/@v/list",
            "4 1 404 0.000 1796137754.569 HTTP/1.1 10.77.0.1 50000 221 GET /lab.gonettools.test/mod000/@latest",
            "1 1 200 /lab.gonettools.test/mod000/@v/v1.0.0.info 0.000 HTTP/2.0 37462",
        });
        Assert.Equal(3, log.Requests.Count);
        Assert.Single(log.Malformed);
        Assert.Equal(new[] { "info", "list", "latest" }, log.Requests.Select(r => r.Kind));
        Assert.Equal(2, log.Connections.Count);
        Assert.Equal(2, log.Connections[0].MaxConnectionRequests);
        Assert.Equal(1.0 / 3, log.StatusShare(503), 9);
        Assert.Equal(("10.77.0.1", 50000), (log.Connections[1].RemoteAddress, log.Connections[1].RemotePort));
    }
}
