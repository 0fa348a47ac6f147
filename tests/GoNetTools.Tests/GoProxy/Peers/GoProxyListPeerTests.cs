using System;
using System.Collections;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// What a 404 stops and how a GOPROXY list falls through, against two nginx instances (a without one module version,
/// b with everything), with the real go client as the witness: the access logs of both must match go's.
/// </summary>
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class GoProxyListPeerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Missing = "lab.gonettools.test/mod001@v1.0.0";

    private static ModuleTree Tree => ModuleTree.Shared();

    private static (int A, int B) GoDownload(NginxPeer a, NginxPeer b, string goProxy)
    {
        using var go = new GoTool();
        var env = new Hashtable(a.GoEnvironment) { ["GOPROXY"] = goProxy };
        go.Run("mod download " + string.Join(' ', Tree.Modules), env);
        return (a.AccessLog().Requests.Count, b.AccessLog().Requests.Count);
    }

    [SkippableFact]
    public void A_404_version_costs_one_request_per_round_as_with_go()
    {
        using var a = NginxPeer.Start(Tree.Without(Missing).DownloadDir);
        using var b = NginxPeer.Start(Tree.DownloadDir);
        var (goA, _) = GoDownload(a, b, PeerStability.Url(a));
        int n = Tree.Modules.Count;
        Assert.Equal(3 * (n - 1) + 1, goA);

        var r = PeerStability.Run(PeerStability.Url(a), a.Certificates.CaPath, "-Rounds 2 -Pause '0.2s'", Tree.Modules);
        var ours = a.AccessLog(atLeast: goA * 3).Requests.Skip(goA).ToList();
        // Per round exactly what go sent: the missing version's .info, once, and not its .mod or .zip.
        Assert.Equal(2 * goA, ours.Count);
        Assert.Equal(2, ours.Count(q => q.Status == 404));
        Assert.All(ours.Where(q => q.Status == 404), q => Assert.Equal(ModuleTree.UrlPath(Missing, "info"), Uri.UnescapeDataString(q.Uri)));
        Assert.Equal(new[] { Missing }, r.ModulesNotFound);
        Assert.Equal(2, (int)r.FailuresByType["NotFound"]!);
        Assert.Equal(ours.Count, r.Requests);
        output.WriteLine($"go: {goA} requests, one 404; ours, 2 rounds: {ours.Count} requests, {ours.Count(q => q.Status == 404)} 404s");
    }

    [SkippableFact]
    public void A_GOPROXY_list_falls_through_file_by_file_as_go_does()
    {
        using var a = NginxPeer.Start(Tree.Without(Missing).DownloadDir);
        using var b = NginxPeer.Start(Tree.DownloadDir);
        var list = $"{PeerStability.Url(a)},{PeerStability.Url(b)}";
        var (goA, goB) = GoDownload(a, b, list);
        // go asks a for every file, and b for the three files a lacks (.info, .mod and .zip: each one falls through).
        Assert.Equal((3 * Tree.Modules.Count, 3), (goA, goB));

        var r = PeerStability.Run(list, a.Certificates.CaPath, "-Rounds 1", Tree.Modules);
        Assert.Equal((goA, goB), (a.AccessLog(atLeast: 2 * goA).Requests.Count - goA, b.AccessLog(atLeast: 2 * goB).Requests.Count - goB));
        Assert.Equal(3, r.FellThrough);
        Assert.Empty(r.ModulesNotFound);
        Assert.Equal(0, r.Failures);
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        // The 404s at a are no failure: b answered.
        Assert.Equal(3, (int)r.StatusCodes["404"]!);
        output.WriteLine($"go: a {goA}, b {goB}; ours: fell through {r.FellThrough}, {r.Verdict}");
    }
}
