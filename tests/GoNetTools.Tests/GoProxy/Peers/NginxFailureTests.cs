using System;
using System.Linq;
using System.Threading;
using GoNetTools.GoProxy;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// A proxy that freezes, dies or fails TLS, as nginx does when SIGSTOPped, SIGKILLed or given a certificate the
/// client cannot trust: the verdict, the cause named, the time it takes, and the connection attempts counted on
/// the wire (tcpdump SYNs).
/// </summary>
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
public sealed class NginxFailureTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    /// <summary>Waits until nginx has logged at least this many requests (the run is under way).</summary>
    private static void WaitForRequests(NginxPeer nginx, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (nginx.AccessLog().Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"nginx logged fewer than {count} requests in 60 s");
            Thread.Sleep(50);
        }
    }

    [SkippableFact]
    public void A_proxy_frozen_before_the_run_is_Unstable_with_the_TLS_handshake_timeout_named()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        nginx.Freeze();
        try
        {
            using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Duration '20s'", Tree.Modules);
            var r = run.Ok();
            Assert.Equal(StabilityVerdict.Unstable, r.Verdict);
            var tls = Assert.Single(r.Findings, f => f.Code == "TlsHandshakeSlow");
            Assert.Equal(FindingSeverity.Error, tls.Severity);
            Assert.Contains("TLS handshake timeout", tls.Message);
            Assert.Contains("net/http: TLS handshake timeout", tls.Message);
            Assert.True((int)r.TlsFailureCauses[TlsFailureCause.HandshakeTimeout]! >= 1);
            Assert.Contains(r.Findings, f => f.Code == "NoResponses");
            // Go gives up at 10 s; the run ends there, well within -Duration + 12 s (the command's whole time).
            Assert.True(run.Took < TimeSpan.FromSeconds(20 + 12), $"took {run.Took}");
            Assert.NotNull(r.StoppedEarly);
            output.WriteLine($"{r.Verdict} after {run.Took.TotalSeconds:0.0} s (-Duration 20 s): {tls.Message}");
        }
        finally
        {
            nginx.Thaw();
        }
    }

    [SkippableFact]
    public void A_proxy_frozen_mid_run_is_Unstable_with_the_stall_named()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Duration '40s' -Pause '0s'", Tree.Modules);
        WaitForRequests(nginx, 200);
        var frozenAt = DateTime.UtcNow;
        nginx.Freeze();
        try
        {
            var r = run.Ok();
            var stopped = DateTime.UtcNow - frozenAt;
            Assert.Equal(StabilityVerdict.Unstable, r.Verdict);
            var stalled = Assert.Single(r.Findings, f => f.Code == "Stalled");
            Assert.Equal(FindingSeverity.Error, stalled.Severity);
            Assert.Contains("stopped answering", stalled.Message);
            Assert.InRange(r.LongestStall!.Value.TotalSeconds, 10, 13);
            // The run ends once the stall is certain (10 s), not at -Duration.
            Assert.True(stopped < TimeSpan.FromSeconds(30), $"returned {stopped} after the freeze");
            Assert.True(r.Responses >= 200, $"{r.Responses} responses before the freeze");
            output.WriteLine($"{r.Verdict}, returned {stopped.TotalSeconds:0.0} s after the freeze: {stalled.Message}");
        }
        finally
        {
            nginx.Thaw();
        }
    }

    [SkippableFact]
    public void A_proxy_killed_mid_run_is_Unstable_and_connects_after_its_death_stay_within_the_backoff_bound()
    {
        using var nginx = NginxPeer.Start(Tree.DownloadDir);
        using var run = PeerStability.Start(PeerStability.Url(nginx), nginx.Certificates.CaPath, "-Duration '60s' -Pause '0.5s'", Tree.Modules);
        WaitForRequests(nginx, 200);
        using var syns = SynCounter.Start(nginx.Port, device: "lo");
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        nginx.Kill();
        var r = run.Ok();
        var times = syns.Stop().Where(t => t >= killedAt).ToList();

        Assert.Equal(StabilityVerdict.Unstable, r.Verdict);
        var dead = Assert.Single(r.Findings, f => f.Code == "ConnectFailures");
        Assert.Equal(FindingSeverity.Error, dead.Severity);
        Assert.Contains("stopped accepting connections", r.StoppedEarly);
        // The documented bound: after the proxy dies, at most 5 more connection attempts (one at a time, each after
        // its backoff), then the run ends — not thousands of refused connects per second.
        Assert.InRange(times.Count, 1, StabilityEngine.DeadAfterConnectFailures + 1);
        // Each attempt waited at least half of its backoff (250 ms, 500 ms, 1 s, 2 s…) after the one before.
        for (int i = 2; i < times.Count; i++)
        {
            double backoff = GuestPolicy.BackoffBase.TotalSeconds * Math.Pow(2, i - 2);
            Assert.True(times[i] - times[i - 1] >= backoff / 2 - 0.02, $"attempt {i + 1} came {times[i] - times[i - 1]:0.000} s after the one before");
        }
        Assert.Equal(r.Connections, r.ClosedByServer + r.ClosedByClient + r.ClosedAborted);
        output.WriteLine($"{r.Verdict}; SYNs after the kill: {times.Count} at +{string.Join(", +", times.Select(t => (t - killedAt).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s; {r.StoppedEarly}");
    }

    [SkippableTheory]
    [InlineData("Untrusted", TlsFailureCause.UntrustedRoot, "SSL_CERT_FILE")]
    [InlineData("Expired", TlsFailureCause.Expired, "Renew")]
    [InlineData("WrongName", TlsFailureCause.NameMismatch, "host name")]
    public void A_certificate_the_client_cannot_trust_is_ProxyTlsFailed_naming_the_cause_within_a_handful_of_attempts(
        string set, string cause, string advice)
    {
        var certificates = set switch
        {
            "Untrusted" => PeerCertificates.Untrusted,
            "Expired" => PeerCertificates.Expired,
            _ => PeerCertificates.WrongName,
        };
        using var nginx = NginxPeer.Start(Tree.DownloadDir, new NginxOptions { Certificates = certificates });
        using var syns = SynCounter.Start(nginx.Port, device: "lo");
        // The client trusts the shared test CA: the untrusted set is signed by another one.
        using var run = PeerStability.Start(PeerStability.Url(nginx), PeerCertificates.Shared.CaPath, "-Duration '20s'", Tree.Modules);
        var e = run.Error();
        Assert.StartsWith("ProxyTlsFailed", e.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        Assert.Contains(cause, e.Exception.Message);
        Assert.Contains(advice, e.ErrorDetails.RecommendedAction);
        // The run stops on the third definite TLS failure; a connect the replay had already begun when it was judged may
        // still reach the wire (a fresh-clone run saw 4 SYNs once). Issue 16 saw 168 in 0.48 s.
        Assert.InRange(syns.Stop().Count, RunStop.TlsFailuresFatal, RunStop.TlsFailuresFatal + 1);
        Assert.Empty(nginx.AccessLog().Requests);
        Assert.True(run.Took < TimeSpan.FromSeconds(15), $"took {run.Took}");
        output.WriteLine($"{e.FullyQualifiedErrorId} after {run.Took.TotalSeconds:0.0} s, {RunStop.TlsFailuresFatal} SYNs: {e.Exception.Message}");
    }
}
