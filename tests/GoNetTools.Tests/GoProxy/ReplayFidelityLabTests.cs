using System;
using System.Collections;
using System.IO;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>
/// The replay against the real go client, both against the same two labs: lab A serves two modules, lab B the same
/// two and two more. The labs count what arrived; go and Test-GoProxyStability must send the same requests to each.
/// </summary>
[Collection("GoProxyLoad")]
public sealed class ReplayFidelityLabTests : IDisposable
{
    private readonly ModuleRunspace _rs = new();
    private readonly GoTool _go = new();
    private readonly GoProxyLab _a, _b;
    private readonly string _roots;

    public ReplayFidelityLabTests()
    {
        LabRun.UseStagedLab();
        var labs = _rs.Invoke("Start-GoProxyLab -SyntheticModules 2 -SyntheticVersions 1; Start-GoProxyLab -SyntheticModules 4 -SyntheticVersions 1");
        Assert.Empty(labs.AllErrors);
        var started = labs.Objects<GoProxyLab>().ToArray();
        (_a, _b) = (started[0], started[1]);
        // One SSL_CERT_FILE with both labs' CAs, for go and for us.
        _roots = Path.Combine(_go.Root, "roots.pem");
        File.WriteAllText(_roots, File.ReadAllText(_a.CertificatePath!) + File.ReadAllText(_b.CertificatePath!));
    }

    public void Dispose()
    {
        _rs.Invoke("Get-GoProxyLab | Stop-GoProxyLab -Confirm:$false");
        _rs.Dispose();
        _go.Dispose();
    }

    private (long A, long B) GoDownloads(string goProxy)
    {
        _a.ResetStatistics();
        _b.ResetStatistics();
        var env = GoEnvironment(goProxy);
        var (code, _, stderr) = _go.Run("mod download " + string.Join(' ', _b.Modules), env);
        // A module no entry has makes go fail, as it should; everything else must have worked.
        Assert.True(code == 0 || stderr.Contains("404 Not Found", StringComparison.Ordinal), stderr);
        Directory.Delete(_go.ModCache, recursive: true);
        return (_a.Refresh().Requests, _b.Refresh().Requests);
    }

    private (GoProxyStabilityResult Result, long A, long B) OurRound(string goProxy)
    {
        _a.ResetStatistics();
        _b.ResetStatistics();
        var p = _rs.Invoke($"$env:SSL_CERT_FILE = '{_roots}'; try {{ Test-GoProxyStability -Proxy '{goProxy}' -Module $m -Rounds 1 }} finally {{ $env:SSL_CERT_FILE = $null }}",
            new System.Collections.Generic.Dictionary<string, object?> { ["m"] = _b.Modules });
        Assert.Empty(p.AllErrors);
        return (Assert.Single(p.Objects<GoProxyStabilityResult>()), _a.Refresh().Requests, _b.Refresh().Requests);
    }

    private Hashtable GoEnvironment(string goProxy)
    {
        var env = new Hashtable(_a.GoEnvironment, StringComparer.Ordinal) { ["GOPROXY"] = goProxy, ["SSL_CERT_FILE"] = _roots };
        return env;
    }

    [SkippableFact]
    public void AVersionThatIs404CostsOneRequestAsWithGo()
    {
        // Only lab A: two of the four versions are 404 at their first request (.info), and cmd/go stops there.
        var (goA, _) = GoDownloads(_a.Url);
        var (r, ourA, ourB) = OurRound(_a.Url);
        Assert.Equal(2 * 3 + 2 * 1, goA);
        Assert.Equal(goA, ourA);
        Assert.Equal(0, ourB);
        Assert.Equal(ourA, r.Requests);
        Assert.Equal(2, r.ModulesNotFound.Length);
        Assert.Equal(2, (int)r.FailuresByType["NotFound"]!);
        Assert.Equal(2, (int)r.StatusCodes["404"]!);
        Assert.DoesNotContain("list", r.RequestsByKind.Keys.Cast<string>());
    }

    [SkippableFact]
    public void AGoProxyListFallsThroughOnEveryRequestAsGoDoes()
    {
        var list = $"{_a.Url},{_b.Url}";
        var (goA, goB) = GoDownloads(list);
        var (r, ourA, ourB) = OurRound(list);
        // cmd/go walks the list for each file: the two versions A lacks cost A a 404 for .info, .mod and .zip each.
        Assert.Equal(2 * 3 + 2 * 3, goA);
        Assert.Equal(2 * 3, goB);
        Assert.Equal((goA, goB), (ourA, ourB));
        Assert.Equal(6, r.FellThrough);
        Assert.Empty(r.ModulesNotFound);
        Assert.Equal(0, r.Failures);
        Assert.Equal(StabilityVerdict.Stable, r.Verdict);
        Assert.Equal(list, r.Proxy);
    }

    [SkippableFact]
    public void APipeListFallsThroughOnErrorsTooACommaListDoesNot()
    {
        // A closed port first: '|' goes on to lab B after the refused connect; ',' does not (only 404/410 go on).
        int closed;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            l.Start();
            closed = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }
        var (pipe, _, pipeB) = OurRound($"https://127.0.0.1:{closed}|{_b.Url}");
        Assert.Equal(12, pipeB);
        Assert.Equal(12, pipe.FellThrough);
        var (goA, goB) = GoDownloads($"https://127.0.0.1:{closed}|{_b.Url}");
        Assert.Equal((0L, 12L), (goA, goB));
        var p = _rs.Invoke($"Test-GoProxyStability -Proxy 'https://127.0.0.1:{closed},{_b.Url}' -Module $m -Rounds 1", new System.Collections.Generic.Dictionary<string, object?> { ["m"] = _b.Modules });
        Assert.StartsWith("ProxyUnreachable", Assert.Single(p.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(0, _b.Refresh().Requests - 12);
    }
}
