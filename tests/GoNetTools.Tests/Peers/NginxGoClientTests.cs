using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.Peers;

/// <summary>
/// nginx as a GOPROXY for the real `go` client (Debian go 1.19), counted in nginx's own access and debug logs:
/// what one `go mod download` sends, what a 404 stops, how a GOPROXY list falls through, what a connection
/// budget costs in GOAWAYs.
/// </summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class NginxGoClientTests
{
    private static readonly string[] FileKinds = { "info", "mod", "zip" };

    private static ModuleTree Tree => ModuleTree.Shared();

    private static void Download(GoTool go, IDictionary env, params string[] modules)
    {
        var (code, stdout, stderr) = go.Run("mod download " + string.Join(' ', modules), env);
        Assert.True(code == 0, $"go mod download failed ({code}): {stderr}\n{stdout}");
    }

    [SkippableFact]
    public void Go_mod_download_of_N_versions_sends_3N_requests_on_one_h2_connection()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        Download(go, nginx.GoEnvironment, Tree.Modules.ToArray());

        var n = Tree.Modules.Count;
        var log = nginx.AccessLog(atLeast: 3 * n);
        Assert.Empty(log.Malformed);
        Assert.Equal(3 * n, log.Requests.Count);
        Assert.Equal(new Dictionary<string, int> { ["info"] = n, ["mod"] = n, ["zip"] = n }, log.CountByKind);
        // Each file of each version exactly once (nginx logs the raw URI: go sends '!' as %21).
        var expected = Tree.Modules.SelectMany(m => FileKinds.Select(k => ModuleTree.UrlPath(m, k))).OrderBy(u => u, StringComparer.Ordinal);
        Assert.Equal(expected, log.Requests.Select(r => Uri.UnescapeDataString(r.Uri)).OrderBy(u => u, StringComparer.Ordinal));
        Assert.All(log.Requests, r => Assert.Equal((200, "HTTP/2.0"), (r.Status, r.Protocol)));
        var connection = Assert.Single(log.Connections);
        Assert.Equal(3 * n, connection.MaxConnectionRequests);
    }

    [SkippableFact]
    public void A_version_query_asks_the_list_which_an_explicit_version_never_does()
    {
        // Positive control for "no @v/list" above: the same parser sees list requests when go has to resolve.
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        Download(go, nginx.GoEnvironment, "lab.gonettools.test/mod000@latest");
        var log = nginx.AccessLog(atLeast: 4);
        // go 1.19 resolves @latest from @v/list (it asks @latest only when the list is empty), then fetches v1.1.0.
        Assert.Equal(
            new[] { "/lab.gonettools.test/mod000/@v/list", "/lab.gonettools.test/mod000/@v/v1.1.0.info", "/lab.gonettools.test/mod000/@v/v1.1.0.mod", "/lab.gonettools.test/mod000/@v/v1.1.0.zip" },
            log.Requests.Select(r => r.Uri));
        Assert.Equal(1, log.Count("list"));
    }

    [SkippableFact]
    public void A_missing_version_costs_one_404_and_go_stops_there()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var go = new GoTool();
        var absent = Tree.AbsentVersion("lab.gonettools.test/mod000");
        var (code, _, stderr) = go.Run("mod download " + absent, nginx.GoEnvironment);
        Assert.NotEqual(0, code);
        Assert.Contains("404 Not Found", stderr, StringComparison.Ordinal);

        var log = nginx.AccessLog(atLeast: 1);
        var only = Assert.Single(log.Requests);
        Assert.Equal((404, "info"), (only.Status, only.Kind));

        // Positive control: a version the tree holds costs its three files on the same server.
        Download(go, nginx.GoEnvironment, "lab.gonettools.test/mod000@v1.0.0");
        log = nginx.AccessLog(atLeast: 4);
        Assert.Equal(4, log.Requests.Count);
        Assert.Equal(3, log.CountStatus(200));
    }

    [SkippableFact]
    public void A_goproxy_list_falls_through_to_the_next_proxy_on_404_file_by_file()
    {
        const string missing = "lab.gonettools.test/mod001@v1.0.0", present = "lab.gonettools.test/mod000@v1.0.0";
        using var a = NginxPeer.Start(Tree.Without(missing).DownloadDir);
        using var b = NginxPeer.Start(Tree.DownloadDir);
        var env = new Hashtable(a.GoEnvironment) { ["GOPROXY"] = $"{a.Url.ToString().TrimEnd('/')},{b.Url.ToString().TrimEnd('/')}" };
        using var go = new GoTool();
        Download(go, env, present, missing);

        var logA = a.AccessLog(atLeast: 6);
        var logB = b.AccessLog(atLeast: 3);
        // a serves the present version; for the missing one cmd/go 1.19 starts every file (.info, .mod, .zip) at a
        // again and falls through to b on each 404: a sees three 404s, b three 200s, b nothing else.
        Assert.Equal(new[] { "info", "mod", "zip" }, Kinds(logA, "/mod000/", 200));
        Assert.Equal(new[] { "info", "mod", "zip" }, Kinds(logA, "/mod001/", 404));
        Assert.Equal(6, logA.Requests.Count);
        Assert.Equal(new[] { "info", "mod", "zip" }, Kinds(logB, "/mod001/", 200));
        Assert.Equal(3, logB.Requests.Count);

        // Positive control: with only a, the missing version fails at its first 404.
        using var alone = new GoTool();
        var (code, _, stderr) = alone.Run("mod download " + missing, a.GoEnvironment);
        Assert.NotEqual(0, code);
        Assert.Contains("404 Not Found", stderr, StringComparison.Ordinal);
        Assert.Equal(7, a.AccessLog(atLeast: 7).Requests.Count);
    }

    private static string[] Kinds(NginxAccessLog log, string module, int status) =>
        log.Requests.Where(r => r.Uri.Contains(module, StringComparison.Ordinal) && r.Status == status).Select(r => r.Kind).OrderBy(k => k).ToArray();

    [SkippableFact]
    public void Keepalive_requests_50_ends_each_spent_connection_with_one_GOAWAY_no_error()
    {
        var n = Tree.Modules.Count; // 40 versions: 120 requests = 50 + 50 + 20
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { KeepaliveRequests = 50, DebugLog = true });
        using var go = new GoTool();
        Download(go, nginx.GoEnvironment, Tree.Modules.ToArray());

        var log = nginx.AccessLog(atLeast: 3 * n);
        Assert.Equal(3 * n, log.Requests.Count);
        Assert.All(log.Requests, r => Assert.Equal(200, r.Status));
        var spent = log.Connections.Where(c => c.MaxConnectionRequests == 50).Select(c => c.Id).ToList();
        Assert.Equal(3 * n / 50, spent.Count);
        Assert.All(log.Connections, c => Assert.InRange(c.MaxConnectionRequests, 1, 50));

        var frames = nginx.DebugLog();
        Assert.Equal(spent, frames.GoAways.Select(g => g.Connection).OrderBy(c => c));
        // The 50th request is stream 99 (client streams are odd): LastStreamID 99, NO_ERROR.
        Assert.All(frames.GoAways, g => Assert.Equal((99, 0u), (g.StreamId, g.ErrorCode)));
        Assert.Empty(frames.RstStreams);
    }

    [SkippableFact]
    public void Under_the_default_budget_nginx_sends_no_GOAWAY_for_the_same_download()
    {
        // Positive control for the budget test: the debug log is read, and it is the budget that makes GOAWAYs.
        var n = Tree.Modules.Count;
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { DebugLog = true });
        using var go = new GoTool();
        Download(go, nginx.GoEnvironment, Tree.Modules.ToArray());
        var log = nginx.AccessLog(atLeast: 3 * n);
        Assert.Single(log.Connections);
        var frames = nginx.DebugLog();
        Assert.Empty(frames.GoAways);
        Assert.Empty(frames.RstStreams);
    }
}
