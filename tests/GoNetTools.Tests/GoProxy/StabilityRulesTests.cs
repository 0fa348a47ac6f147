using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using GoNetTools.GoProxy;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

public sealed class StabilityRulesTests
{
    private static GoProxyStabilityResult Result(Action<Builder> change)
    {
        var b = new Builder();
        change(b);
        return b.Build();
    }

    /// <summary>Figures of a healthy HTTP/2 run; each test changes only what its rule reads.</summary>
    private sealed class Builder
    {
        public int Requests = 10000, Failures, Connections = 1, GoAways, Rst, TwEnd;
        public double TwPerMinute, ConnectionsPerSecond = 0.1;
        public string Protocol = "h2=1", HttpVersion = "2";
        public TimeSpan? TlsP95 = TimeSpan.FromMilliseconds(20);
        public OrderedDictionary RstCodes = new(), FailuresByType = new(), RetriesByCause = new(), TlsCauses = new();
        public List<GoProxyGoAway> GoAwayEvents = new();
        public double? Retrans;
        public long RetransSegments, SegmentsSent = 100000;
        public int? Responses;
        public TimeSpan? Stall;
        public int ConnectFailures, Retries;

        public GoProxyStabilityResult Build() => new()
        {
            Proxy = "https://proxy.example/", Requests = Requests, Failures = Failures, Connections = Connections,
            ReuseRatio = Connections == 0 ? 0 : (double)Requests / Connections, ConnectionsPerSecond = ConnectionsPerSecond,
            NegotiatedProtocol = Protocol, HttpVersion = HttpVersion, GoAways = GoAways, GoAwayEvents = GoAwayEvents.ToArray(),
            Responses = Responses ?? Requests, LongestStall = Stall, StalledRequests = Stall is null ? 0 : 2, ConnectFailuresAtEnd = ConnectFailures,
            Retries = Retries, RetriesByCause = RetriesByCause, TlsFailureCauses = TlsCauses,
            RstStreams = Rst, RstStreamCodes = RstCodes, FailuresByType = FailuresByType, TlsHandshakes = Connections,
            TlsHandshakeP50 = TlsP95, TlsHandshakeP95 = TlsP95, TimeWaitStart = 0, TimeWaitEnd = TwEnd, TimeWaitPeak = TwEnd,
            TimeWaitGrowthPerMinute = TwPerMinute, RetransmitRate = Retrans, RetransmittedSegments = RetransSegments, SegmentsSent = SegmentsSent,
        };
    }

    private static GoProxyFinding[] Evaluate(GoProxyStabilityResult r) => StabilityRules.Evaluate(r, false).ToArray();

    [SkippableFact]
    public void HealthyRunHasNoFinding()
    {
        var findings = Evaluate(Result(_ => { }));
        Assert.Empty(findings);
        Assert.Equal(StabilityVerdict.Stable, StabilityRules.Verdict(findings));
    }

    [SkippableTheory]
    [InlineData(1000, 900, true)]
    [InlineData(1000, 99, false)]
    [InlineData(10, 10, false)]
    public void ConnectionChurnThreshold(int requests, int connections, bool fires) =>
        Assert.Equal(fires, Evaluate(Result(b => { b.Requests = requests; b.Connections = connections; })).Any(f => f.Code == "ConnectionChurn"));

    [SkippableTheory]
    [InlineData(3000, 300, true)]   // settles at 3000 of 28232 ports: above 10%
    [InlineData(2000, 300, false)]  // settles at 2000: below 10%
    [InlineData(30000, 40, false)]  // too few over the run to judge
    public void TimeWaitGrowthThreshold(double perMinute, int grown, bool fires)
    {
        var findings = Evaluate(Result(b => { b.TwPerMinute = perMinute; b.TwEnd = grown; }));
        Assert.Equal(fires, findings.Any(f => f.Code == "TimeWaitGrowth" && f.Severity == FindingSeverity.Warning));
    }

    private static GoProxyGoAway Event(GoAwayKind kind, int requests, string code = "NO_ERROR", int frames = 1) => new()
    {
        Kind = kind, ConnectionId = requests, RequestsCarried = requests, RequestsAtDecision = requests, LastStreamId = requests * 2 - 1, ErrorCode = code, Frames = frames,
        FirstLastStreamId = frames > 1 ? int.MaxValue : requests * 2 - 1,
    };

    [SkippableFact]
    public void EachGoAwayKindHasItsOwnFindingAndOnlyErrorsWarn()
    {
        var budget = Evaluate(Result(b => { b.GoAways = 3; b.GoAwayEvents.AddRange(new[] { Event(GoAwayKind.Budget, 50), Event(GoAwayKind.Budget, 50) }); }));
        var finding = Assert.Single(budget, f => f.Code == "GoAwayBudget");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal(50, (int)finding.Evidence["RequestsPerConnection"]!);
        Assert.Contains("after 50 requests each (last stream id 99)", finding.Message);
        Assert.Equal(StabilityVerdict.Stable, StabilityRules.Verdict(budget));
        var shutdown = Evaluate(Result(b => b.GoAwayEvents.Add(Event(GoAwayKind.Shutdown, 21612, frames: 2))));
        Assert.DoesNotContain(shutdown, f => f.Code == "GoAwayBudget");
        var s = Assert.Single(shutdown, f => f.Code == "GoAwayShutdown");
        Assert.Contains("after 21612 requests", s.Message);
        Assert.Contains("2147483647, then 43223", s.Message);
        Assert.Equal(FindingSeverity.Info, Assert.Single(Evaluate(Result(b => b.GoAwayEvents.Add(Event(GoAwayKind.IdleTimeout, 3)))), f => f.Code == "GoAwayIdle").Severity);
        var error = Evaluate(Result(b => b.GoAwayEvents.Add(Event(GoAwayKind.Error, 4, "ENHANCE_YOUR_CALM"))));
        Assert.Equal(FindingSeverity.Warning, Assert.Single(error, f => f.Code == "GoAwayError").Severity);
    }

    [SkippableFact]
    public void NothingAnsweredIsNeverStable()
    {
        var none = Evaluate(Result(b => { b.Requests = 0; b.Responses = 0; }));
        Assert.Equal(FindingSeverity.Error, Assert.Single(none, f => f.Code == "NoResponses").Severity);
        Assert.Equal(StabilityVerdict.Unstable, StabilityRules.Verdict(none, 0));
        // Positive control: the same empty findings with one response is Stable.
        Assert.Equal(StabilityVerdict.Stable, StabilityRules.Verdict(Array.Empty<GoProxyFinding>(), 1));
        Assert.Equal(StabilityVerdict.Unstable, StabilityRules.Verdict(Array.Empty<GoProxyFinding>(), 0));
    }

    [SkippableFact]
    public void AStallAndADeadProxyAreErrors()
    {
        var stalled = Assert.Single(Evaluate(Result(b => b.Stall = TimeSpan.FromSeconds(10.5))), f => f.Code == "Stalled");
        Assert.Equal(FindingSeverity.Error, stalled.Severity);
        Assert.Contains("no response for 10.5 s while 2 request(s) waited", stalled.Message);
        Assert.DoesNotContain(Evaluate(Result(b => b.ConnectFailures = 4)), f => f.Code == "ConnectFailures");
        Assert.Equal(FindingSeverity.Error, Assert.Single(Evaluate(Result(b => b.ConnectFailures = 5)), f => f.Code == "ConnectFailures").Severity);
    }

    [SkippableFact]
    public void RetriesAreInformationNotFailures()
    {
        var findings = Evaluate(Result(b => { b.Retries = 3; b.RetriesByCause["GoAwayUnprocessed"] = 2; b.RetriesByCause["GoAwayNoError"] = 1; }));
        var retries = Assert.Single(findings, f => f.Code == "Retries");
        Assert.Equal(FindingSeverity.Info, retries.Severity);
        Assert.Equal(2, (int)retries.Evidence["GoAwayUnprocessed"]!);
        Assert.Equal(StabilityVerdict.Stable, StabilityRules.Verdict(findings));
    }

    [SkippableFact]
    public void TlsHandshakeTimeoutIsNamed()
    {
        var f = Assert.Single(Evaluate(Result(b => { b.Failures = 1; b.FailuresByType["TlsHandshake"] = 1; b.TlsCauses["HandshakeTimeout"] = 1; })),
            x => x.Code == "TlsHandshakeSlow");
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.StartsWith("TLS handshake timeout: 1 handshake(s)", f.Message);
        Assert.Contains("net/http: TLS handshake timeout", f.Message);
    }

    [SkippableTheory]
    [InlineData("INTERNAL_ERROR", 50, null)]
    [InlineData("INTERNAL_ERROR", 200, FindingSeverity.Warning)]
    [InlineData("INTERNAL_ERROR", 600, FindingSeverity.Error)]
    [InlineData("REFUSED_STREAM", 600, null)]
    public void StreamResetThresholds(string code, int count, FindingSeverity? expected)
    {
        var f = Evaluate(Result(b => { b.Rst = count; b.RstCodes[code] = count; })).SingleOrDefault(x => x.Code == "StreamResets");
        Assert.Equal(expected, f?.Severity);
    }

    [SkippableTheory]
    [InlineData(4.9, null)]
    [InlineData(5.0, FindingSeverity.Warning)]
    [InlineData(9.0, FindingSeverity.Warning)]
    [InlineData(10.0, FindingSeverity.Error)]
    public void TlsHandshakeThresholds(double seconds, FindingSeverity? expected)
    {
        var f = Evaluate(Result(b => b.TlsP95 = TimeSpan.FromSeconds(seconds))).SingleOrDefault(x => x.Code == "TlsHandshakeSlow");
        Assert.Equal(expected, f?.Severity);
    }

    [SkippableTheory]
    [InlineData(50, null)]
    [InlineData(100, FindingSeverity.Warning)]
    [InlineData(500, FindingSeverity.Error)]
    public void RequestFailureThresholds(int failures, FindingSeverity? expected)
    {
        var f = Evaluate(Result(b => { b.Failures = failures; b.FailuresByType["ConnectionReset"] = failures; })).SingleOrDefault(x => x.Code == "RequestFailures");
        Assert.Equal(expected, f?.Severity);
    }

    [SkippableFact]
    public void Http1FallbackSaysWhy()
    {
        var forced = Evaluate(Result(b => { b.Protocol = "http/1.1=40"; b.HttpVersion = "1.1"; })).Single(f => f.Code == "Http1Fallback");
        Assert.Contains("GODEBUG=http2client=0", forced.Recommendation);
        var server = Evaluate(Result(b => b.Protocol = "http/1.1=40")).Single(f => f.Code == "Http1Fallback");
        Assert.Contains("ALPN", server.Message);
    }

    [SkippableTheory]
    [InlineData(0.005, null)]
    [InlineData(0.02, FindingSeverity.Warning)]
    [InlineData(0.08, FindingSeverity.Error)]
    public void RetransmissionThresholds(double rate, FindingSeverity? expected)
    {
        var f = Evaluate(Result(b => { b.Retrans = rate; b.RetransSegments = 500; })).SingleOrDefault(x => x.Code == "Retransmissions");
        Assert.Equal(expected, f?.Severity);
    }

    [SkippableFact]
    public void PortExhaustionRiskNamesTheConnectRateAndTheReusePossible()
    {
        var r = Result(b => { b.Connections = 5000; b.ConnectionsPerSecond = 800; });
        var withBudget = new GoProxyStabilityResult
        {
            Proxy = r.Proxy, Requests = r.Requests, Responses = r.Requests, Connections = r.Connections, ConnectionsPerSecond = 800, ReuseRatio = 2,
            NegotiatedProtocol = "h2=1", PortsReused = 12, TimeWaitReuse = "tcp_tw_reuse=2 (loopback only), tcp_timestamps=1: no TIME_WAIT port is reused toward this proxy",
            PortBudget = new TcpPortBudget { UsablePorts = 28232, InUse = 9000, TimeWait = 8900, FreePorts = 19232, TimeWaitSeconds = 60, SustainableConnectionsPerSecond = 320.5 },
            PortExhaustionEta = TimeSpan.FromSeconds(24),
        };
        var f = Evaluate(withBudget).Single(x => x.Code == "PortExhaustionRisk");
        Assert.Contains("measured 800 new connections per second", f.Message);
        Assert.Contains("no TIME_WAIT port is reused toward this proxy", f.Message);
        Assert.Contains("12 ports were reused", f.Message);
        Assert.Equal(12, (int)f.Evidence["PortsReused"]!);
        Assert.DoesNotContain(Evaluate(r), x => x.Code == "PortExhaustionRisk");
    }

    [SkippableFact]
    public void RetransmissionsNeedEnoughSegmentsToJudge() =>
        Assert.DoesNotContain(Evaluate(Result(b => { b.Retrans = 0.5; b.RetransSegments = 5; b.SegmentsSent = 10; })), f => f.Code == "Retransmissions");

    [SkippableFact]
    public void EveryFindingStatesItsRuleAndARecommendation()
    {
        var all = Evaluate(Result(b =>
        {
            b.Requests = 1000; b.Connections = 900; b.ConnectionsPerSecond = 200; b.TwPerMinute = 12000; b.TwEnd = 1000;
            b.Protocol = "http/1.1=900"; b.GoAways = 5; b.Rst = 100; b.RstCodes["CANCEL"] = 100;
            b.GoAwayEvents.AddRange(new[] { Event(GoAwayKind.Budget, 50), Event(GoAwayKind.Budget, 50), Event(GoAwayKind.Shutdown, 7, frames: 2), Event(GoAwayKind.IdleTimeout, 2), Event(GoAwayKind.Error, 1, "PROTOCOL_ERROR") });
            b.TlsP95 = TimeSpan.FromSeconds(6); b.Failures = 100; b.FailuresByType["Timeout"] = 100; b.Retrans = 0.2; b.RetransSegments = 10;
            b.Stall = TimeSpan.FromSeconds(12); b.ConnectFailures = 6; b.Retries = 1; b.RetriesByCause["RefusedStream"] = 1;
        }));
        Assert.Equal(new[] { "ConnectFailures", "ConnectionChurn", "GoAwayBudget", "GoAwayError", "GoAwayIdle", "GoAwayShutdown", "Http1Fallback", "RequestFailures", "Retransmissions", "Retries", "Stalled", "StreamResets", "TimeWaitGrowth", "TlsHandshakeSlow" },
            all.Select(f => f.Code).OrderBy(c => c, StringComparer.Ordinal));
        Assert.All(all, f => { Assert.NotEmpty(f.Rule); Assert.NotEmpty(f.Recommendation); Assert.NotEmpty(f.Evidence); });
        Assert.Equal(StabilityVerdict.Unstable, StabilityRules.Verdict(all));
    }
}
