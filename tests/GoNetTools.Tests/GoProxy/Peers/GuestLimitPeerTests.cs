using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using GoNetTools.GoProxy;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// A proxy that is not on this host: nginx in one namespace, the gonettools host in another, over a veth. The
/// default run is a guest — at most 600 requests, 10/s on average with bursts of 60 — counted in nginx's access log.
/// </summary>
[Trait("Category", Category.Netns)]
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
public sealed class GuestLimitPeerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    [SkippableFact]
    public void The_default_run_against_a_proxy_not_on_this_host_stays_within_the_budget_and_the_rate()
    {
        using var pair = new NamespacePair();
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Namespace = pair.Server, Address = NamespacePair.ServerAddress });
        var modules = string.Join(",", Tree.Modules.Select(m => $"'{m}'"));
        var (code, stdout, stderr) = pair.RunHost(
            $"$r = Test-GoProxyStability -Proxy {nginx.Url.ToString().TrimEnd('/')} -Module {modules} -Duration 00:00:20; " +
            "'RESULT local={0} max={1} rate={2} requests={3} verdict={4} rounds={5}' -f $r.ProxyIsLocal, $r.MaxRequests, $r.MaxRequestRate, $r.Requests, $r.Verdict, $r.Rounds",
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = nginx.Certificates.CaPath });
        Assert.True(code == 0, stderr + stdout);
        var m = Regex.Match(stdout, @"RESULT local=(\w+) max=(\d+) rate=([\d.]+) requests=(\d+) verdict=(\w+) rounds=(\d+)");
        Assert.True(m.Success, stdout);
        Assert.Equal("False", m.Groups[1].Value);
        Assert.Equal(GuestPolicy.DefaultMaxRequests.ToString(CultureInfo.InvariantCulture), m.Groups[2].Value);
        Assert.Equal(GuestPolicy.DefaultMaxRequestRate, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal("Stable", m.Groups[5].Value);

        var log = nginx.AccessLog(atLeast: int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
        Assert.All(log.Requests, q => Assert.Equal(NamespacePair.ClientAddress, q.RemoteAddress));
        Assert.Equal(int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), log.Requests.Count);
        Assert.InRange(log.Requests.Count, 120, GuestPolicy.DefaultMaxRequests);
        // The token bucket as nginx saw it: in any stretch of time, at most the burst plus the rate times its length
        // (plus the few in flight when a stretch starts).
        var times = log.Requests.Select(q => q.UnixSeconds).OrderBy(t => t).ToArray();
        for (int i = 0; i < times.Length; i++)
        {
            for (int j = i; j < times.Length; j++)
            {
                double span = times[j] - times[i];
                Assert.True(j - i + 1 <= GuestPolicy.Burst + GuestPolicy.DefaultMaxRequestRate * span + 4,
                    $"{j - i + 1} requests in {span:0.000} s from {times[i]:0.000}");
            }
        }
        // Positive control: the cap is what held the run (a round of 120 takes well under a second unthrottled), so
        // the run used most of what the bucket allowed over its 20 s.
        Assert.True(log.Requests.Count >= 0.7 * (GuestPolicy.Burst + GuestPolicy.DefaultMaxRequestRate * 20),
            $"{log.Requests.Count} requests in 20 s: the cap did not bind");
        var busiest = Enumerable.Range(0, times.Length).Max(i => times.Count(t => t >= times[i] && t < times[i] + 1));
        output.WriteLine($"nginx logged {log.Requests.Count} requests over {times[^1] - times[0]:0.0} s ({log.Requests.Count / (times[^1] - times[0]):0.0}/s), at most {busiest} in any second");
    }

    [SkippableFact]
    public void The_budget_ends_a_guest_run_and_stress_asks_for_confirmation()
    {
        using var pair = new NamespacePair();
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Namespace = pair.Server, Address = NamespacePair.ServerAddress });
        var modules = string.Join(",", Tree.Modules.Select(mv => $"'{mv}'"));
        var url = nginx.Url.ToString().TrimEnd('/');
        var (code, stdout, stderr) = pair.RunHost(
            $"$r = Test-GoProxyStability -Proxy {url} -Module {modules} -Duration 00:00:20 -MaxRequests 150 -MaxRequestRate 1000; " +
            "'RESULT requests={0} stopped={1}' -f $r.Requests, $r.StoppedEarly; " +
            $"Test-GoProxyStability -Proxy {url} -Module {modules} -Stress -Duration 00:00:02; " +
            $"$s = Test-GoProxyStability -Proxy {url} -Module {modules} -Stress -Duration 00:00:02 -Confirm:$false; " +
            "'STRESS requests={0} max={1} mode={2}' -f $s.Requests, $s.MaxRequests, $s.Mode",
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = nginx.Certificates.CaPath });
        var m = Regex.Match(stdout, @"RESULT requests=(\d+) stopped=(.*)");
        Assert.True(m.Success, stdout + stderr);
        Assert.Contains("request budget of 150", m.Groups[2].Value);
        Assert.Equal(150, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        // -Stress against a proxy not on this host: the host cannot ask, so nothing is sent and the error says how to
        // confirm; with -Confirm:$false it runs, without budget or cap.
        Assert.Equal(1, code);
        Assert.True((stdout + stderr).Contains("needs confirmation, and this host cannot ask", StringComparison.Ordinal), stdout + stderr);
        Assert.Contains("-Confirm:$false", stdout + stderr);
        var stress = Regex.Match(stdout, @"STRESS requests=(\d+) max=(\S*) mode=(\w+)");
        Assert.True(stress.Success, stdout + stderr);
        Assert.Equal(("", "Stress"), (stress.Groups[2].Value, stress.Groups[3].Value));
        int stressed = int.Parse(stress.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(stressed > 100, $"{stressed} requests in 2 s of -Stress");
        Assert.Equal(150 + stressed, nginx.AccessLog(atLeast: 150 + stressed).Requests.Count);
    }
}
