using System;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.GoProxy;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.GoProxy;

public sealed class GoProxyListTests
{
    [SkippableTheory]
    [InlineData("https://a.example", "https://a.example")]
    [InlineData(" https://a.example/base/ , https://b.example|direct", "https://a.example/base,https://b.example|direct")]
    [InlineData("goproxy.example", "https://goproxy.example")]
    [InlineData("https://a.example,,https://b.example", "https://a.example,https://b.example")]
    [InlineData("off,https://never.example", "off")]
    [InlineData("https://a.example,direct,https://never.example", "https://a.example,direct")]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3000")]
    public void ParsesAsCmdGoDoes(string text, string canonical) => Assert.Equal(canonical, GoProxyList.Parse(text).ToString());

    [SkippableFact]
    public void SeparatorDecidesFallThrough()
    {
        var list = GoProxyList.Parse("https://a.example|https://b.example,https://c.example");
        Assert.Equal(new[] { true, false, false }, list.Entries.Select(e => e.FallBackOnAnyError));
        Assert.Equal("https://a.example/", list.FirstUrl!.AbsoluteUri);
        Assert.Null(GoProxyList.Parse("direct").FirstUrl);
    }

    [SkippableTheory]
    [InlineData("ftp://x", "scheme 'ftp'")]
    [InlineData("not-a-url", "is not a URL (no scheme")]
    [InlineData("not a url", "is not a URL")]
    [InlineData("file:///srv/goproxy", "file:// proxy")]
    [InlineData(" , ", "empty list")]
    [InlineData("https://a.example,ftp://b", "scheme 'ftp'")]
    public void RefusesWhatIsNotAProxyWithTheStableId(string text, string problem)
    {
        Assert.False(GoProxyList.TryParse(text, out _, out var why));
        Assert.Contains(problem, why);
        var e = Assert.Throws<GoNetToolsException>(() => GoProxyList.Parse(text));
        Assert.Equal(ErrorIds.InvalidProxy, e.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
    }
}

public sealed class GoModFileTests
{
    [SkippableFact]
    public void ReadsWhatMinimalVersionSelectionNeeds()
    {
        const string text = """
            module example.com/app
            go 1.19
            require (
                a.example/one v1.2.0
                b.example/two v0.3.0 // indirect
            )
            exclude c.example/three v1.0.0
            replace a.example/one => ../one
            replace b.example/two v0.3.0 => b.example/fork v0.3.1
            """;
        var file = GoModFile.Parse(text, "go.mod");
        Assert.Equal("example.com/app", file.ModulePath);
        Assert.True(file.Pruned);
        Assert.Equal(2, file.Requires.Count);
        Assert.Null(file.Replace(new GoModule("a.example/one", "v1.2.0")));
        Assert.Equal("b.example/fork@v0.3.1", file.Replace(new GoModule("b.example/two", "v0.3.0"))!.ToString());
        Assert.Equal("b.example/two@v0.4.0", file.Replace(new GoModule("b.example/two", "v0.4.0"))!.ToString());
        Assert.Contains("c.example/three@v1.0.0", file.Excludes);
        // go 1.16 and a missing go line are unpruned.
        Assert.False(GoModFile.Parse("module m\ngo 1.16\n", "x").Pruned);
        Assert.False(GoModFile.Parse("module m\n", "x").Pruned);
        Assert.True(GoModFile.Parse("module m\ngo 1.21.0\n", "x").Pruned);
    }

    [SkippableTheory]
    [InlineData("v1.0.0\nv1.1.0\nv1.2.0-rc.1\nv2.0.0+incompatible\n", "", "v2.0.0+incompatible")]
    [InlineData("v1.0.0\nv1.1.0\nv1.2.0-rc.1\n", "v1", "v1.1.0")]
    [InlineData("v1.0.0\nv1.0.5\nv1.1.0\n", "v1.0", "v1.0.5")]
    [InlineData("v1.0.0\n", "v2", null)]
    [InlineData("", "", null)]
    public void QueriesPickAsCmdGo(string list, string prefix, string? expected) => Assert.Equal(expected, ReplayModule.Pick(list, prefix));

    [SkippableFact]
    public void UrlsCarryTheCaseEncodingWithThePercentEncodedBang() =>
        Assert.Equal("github.com/%21burnt%21sushi/toml", ReplayFiles.Escape("github.com/BurntSushi/toml"));
}

public sealed class GuestPolicyTests
{
    [SkippableFact]
    public void BackoffDoublesWithEqualJitterUpToTheCap()
    {
        var policy = new GuestPolicy(null, null, false);
        for (int n = 1; n <= 8; n++)
        {
            double full = Math.Min(GuestPolicy.BackoffCap.TotalMilliseconds, GuestPolicy.BackoffBase.TotalMilliseconds * Math.Pow(2, n - 1));
            for (int i = 0; i < 50; i++)
            {
                Assert.InRange(policy.Backoff(n).TotalMilliseconds, full / 2, full);
            }
        }
    }

    [SkippableFact]
    public async Task TheBudgetStopsAdmission()
    {
        var policy = new GuestPolicy(5, null, false);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(await policy.AdmitRequestAsync(CancellationToken.None));
        }
        Assert.False(await policy.AdmitRequestAsync(CancellationToken.None));
        Assert.True(policy.BudgetSpent);
        Assert.Equal(5, policy.Sent);
    }

    [SkippableFact]
    public async Task TheRateCapLetsABurstThroughThenPaces()
    {
        // 60 at once, then 20/s: 80 admissions need at least a second (a generous lower bound only; no upper bound).
        var policy = new GuestPolicy(null, 20, false);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < GuestPolicy.Burst; i++)
        {
            await policy.AdmitRequestAsync(CancellationToken.None);
        }
        var burst = clock.Elapsed;
        for (int i = 0; i < 20; i++)
        {
            await policy.AdmitRequestAsync(CancellationToken.None);
        }
        Assert.True(burst < TimeSpan.FromSeconds(0.9), $"burst took {burst}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"80 admissions at 20/s after a burst of 60 took {clock.Elapsed}");
    }

    [SkippableFact]
    public async Task RetryAfterHoldsEveryRequest()
    {
        var policy = new GuestPolicy(null, null, false);
        policy.ServerBusy(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        await policy.AdmitRequestAsync(CancellationToken.None);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"admitted after {clock.Elapsed}");
        // Without Retry-After, a proxy on this host is not held; a guest backs off.
        var local = new GuestPolicy(null, null, backOffOnBusy: false);
        local.ServerBusy(null);
        clock.Restart();
        await local.AdmitRequestAsync(CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(0.1));
        policy.ServerBusy(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.RetryAfterTooLong);
    }

    [SkippableFact]
    public async Task FailingConnectsGoOneAtATimeAfterTheirBackoff()
    {
        var policy = new GuestPolicy(null, null, false);
        var first = await policy.Connects.EnterAsync("proxy:443", CancellationToken.None);
        first.Failed();
        first.Failed(); // resolving twice counts once
        Assert.Equal(1, policy.ConnectFailuresInARow);
        var clock = Stopwatch.StartNew();
        Assert.True(policy.Connects.IsBackingOff("proxy:443"));
        // Another host is not held back by this one, and while it does well the run is not dead.
        var other = await policy.Connects.EnterAsync("other:443", CancellationToken.None);
        other.Succeeded();
        Assert.Equal(0, policy.ConnectFailuresInARow);
        var second = await policy.Connects.EnterAsync("proxy:443", CancellationToken.None);
        Assert.True(clock.Elapsed >= GuestPolicy.BackoffBase / 2 - TimeSpan.FromMilliseconds(20), $"second attempt after {clock.Elapsed}");
        // A third attempt waits for the second's turn to end.
        var third = policy.Connects.EnterAsync("proxy:443", CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.False(third.IsCompleted);
        second.Succeeded();
        (await third).Succeeded();
        Assert.False(policy.Connects.IsBackingOff("proxy:443"));
    }
}

public sealed class GoAwayKindTests
{
    private static GoAwayFrame Frame(int last, string code = "NO_ERROR", string debug = "", int inFlight = 1, double idle = 0) =>
        new(last, code, debug, 0, 10, inFlight, TimeSpan.FromSeconds(idle));

    [SkippableFact]
    public void OneConnectionsFramesSayWhatTheyCan()
    {
        Assert.Equal(GoAwayKind.Error, GoAwayClassifier.Kind(new[] { Frame(99, "ENHANCE_YOUR_CALM") }));
        // Two-step or single: only whether the count repeats on other connections tells a budget from a shutdown.
        Assert.Null(GoAwayClassifier.Kind(new[] { Frame(int.MaxValue) }));
        Assert.Null(GoAwayClassifier.Kind(new[] { Frame(int.MaxValue), Frame(43223) }));
        Assert.Equal(GoAwayKind.IdleTimeout, GoAwayClassifier.Kind(new[] { Frame(7, debug: "idle timeout") }));
        Assert.Equal(GoAwayKind.IdleTimeout, GoAwayClassifier.Kind(new[] { Frame(7, inFlight: 0, idle: 5) }));
        // A single NO_ERROR GOAWAY with streams in flight: budget or shutdown, only other connections can tell.
        Assert.Null(GoAwayClassifier.Kind(new[] { Frame(99) }));
    }

    private static GoAwayFrame At(int last, int opened, int inFlight) => new(last, "NO_ERROR", "", 0, opened, inFlight, TimeSpan.Zero);

    [SkippableFact]
    public void ABudgetIsComparedWhereTheServerDecidedNotByTheStreamsItFinishedAfter()
    {
        // Budget 100, as a Kestrel-like server closes on it: one connection got a single GOAWAY(199) between two
        // requests; on another, two of our requests were on the wire when it decided, so it sent GOAWAY(2^31−1),
        // finished them and closed with GOAWAY(203): 102 carried. A third saw only the first frame (we closed first).
        var events = GoAwayClassifier.Classify(new GoAwayClassifier.TappedConnection[]
        {
            new(1, 0, new[] { At(199, 100, 0) }, 100),
            new(2, 0, new[] { At(int.MaxValue, 102, 2), At(203, 102, 0) }, 102),
            new(3, 0, new[] { At(int.MaxValue, 101, 1) }, 101),
        }, 0);
        Assert.Equal(new[] { 100, 102, 101 }, events.Select(e => e.RequestsCarried));
        Assert.Equal(new[] { 100, 100, 100 }, events.Select(e => e.RequestsAtDecision));
        Assert.All(events, e => Assert.Equal(GoAwayKind.Budget, e.Kind));
        var finding = Assert.Single(StabilityRules.Evaluate(new GoProxyStabilityResult { GoAwayEvents = events }, false), f => f.Code == "GoAwayBudget");
        Assert.Equal((100, 199), ((int)finding.Evidence["RequestsPerConnection"]!, (int)finding.Evidence["LastStreamId"]!));

        // Two alone: 100 and 102 carried, yet one budget (compared on what they carried, they would be two shutdowns).
        Assert.All(GoAwayClassifier.Classify(new GoAwayClassifier.TappedConnection[]
        {
            new(1, 0, new[] { At(199, 100, 0) }, 100),
            new(2, 0, new[] { At(int.MaxValue, 102, 2), At(203, 102, 0) }, 102),
        }, 0), e => Assert.Equal(GoAwayKind.Budget, e.Kind));

        // Control: the same two-step beside a single GOAWAY after 60 requests is no repeated budget.
        var apart = GoAwayClassifier.Classify(new GoAwayClassifier.TappedConnection[]
        {
            new(1, 0, new[] { At(119, 60, 0) }, 60),
            new(2, 0, new[] { At(int.MaxValue, 102, 2), At(203, 102, 0) }, 102),
        }, 0);
        Assert.All(apart, e => Assert.Equal(GoAwayKind.Shutdown, e.Kind));
    }

    [SkippableTheory]
    [InlineData(1999, 1003, 1000)]
    [InlineData(43223, 30000, 21612)]
    [InlineData(99, 40, 40)]
    [InlineData(int.MaxValue, 77, 77)]
    public void RequestsCarriedAreTheStreamsUpToLastStreamId(int last, int opened, int carried) =>
        Assert.Equal(carried, Http2ConnectionState.Carried(last, opened));

    [SkippableFact]
    public void DebugDataIsSanitised() =>
        Assert.Equal("idle.timeout..", Http2ConnectionState.Sanitize(new byte[] { (byte)'i', (byte)'d', (byte)'l', (byte)'e', 0, (byte)'t', (byte)'i', (byte)'m', (byte)'e', (byte)'o', (byte)'u', (byte)'t', 0x1b, 0xff }));
}

public sealed class TlsFailureCauseTests
{
    private static X509Certificate2 SelfSigned(string name, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(from, to);
    }

    private static TlsFailure? Check(X509Certificate2 cert, string host, bool trust)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (trust)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(cert);
        }
        var errors = chain.Build(cert) ? System.Net.Security.SslPolicyErrors.None : System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
        if (cert.GetNameInfo(X509NameType.DnsName, false) != host)
        {
            errors |= System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch;
        }
        return TlsFailureCause.FromCertificate(errors, cert, chain, host);
    }

    [SkippableFact]
    public void CertificateCausesAreNamed()
    {
        var now = DateTimeOffset.Now;
        using var good = SelfSigned("proxy.test", now.AddDays(-1), now.AddDays(1));
        Assert.Null(Check(good, "proxy.test", trust: true));
        Assert.Equal(TlsFailureCause.UntrustedRoot, Check(good, "proxy.test", trust: false)!.Cause);
        var mismatch = Check(good, "other.test", trust: true)!;
        Assert.Equal(TlsFailureCause.NameMismatch, mismatch.Cause);
        Assert.Contains("'proxy.test', not for 'other.test'", mismatch.Detail);
        using var expired = SelfSigned("proxy.test", now.AddDays(-10), now.AddDays(-2));
        Assert.Equal(TlsFailureCause.Expired, Check(expired, "proxy.test", trust: true)!.Cause);
    }

    [SkippableTheory]
    [InlineData("error:0A00042E:SSL routines::tlsv1 alert protocol version", TlsFailureCause.NoSharedProtocol)]
    [InlineData("error:0A000410:SSL routines::sslv3 alert handshake failure", TlsFailureCause.NoSharedCipher)]
    [InlineData("error:0A00010B:SSL routines::wrong version number", TlsFailureCause.NotTls)]
    [InlineData("Received an unexpected EOF or 0 bytes from the transport stream.", TlsFailureCause.ClosedDuringHandshake)]
    [InlineData("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", TlsFailureCause.UntrustedRoot)]
    public void ExceptionTextNamesTheRest(string inner, string cause) =>
        Assert.Equal(cause, TlsFailureCause.FromException(new System.Security.Authentication.AuthenticationException("Authentication failed, see inner exception.",
            new InvalidOperationException(inner))).Cause);
}
