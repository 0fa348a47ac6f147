using System;
using System.Collections.Specialized;
using System.Linq;
using GoNetTools.Foundation;
using GoNetTools.Tcp;
using GoNetTools.Platform;

namespace GoNetTools.GoProxy;

/// <summary>Everything measured in one run, handed from the engine to the result builder.</summary>
internal sealed record ResultInput(
    StabilityOptions Options, TimeSpan Elapsed, RequestSummary Requests, GoProxyConnection[] Connections, ConnectionRegistry Registry,
    (int Client, int Server) TimeWaitPeak, (int Client, int Server) TimeWaitEnd, bool ProxyIsLocal, bool ProxyIsLoopback,
    string Scope, TcpStateTally? ClientSockets, OrderedDictionary? CountersBefore, OrderedDictionary? CountersAfter, ITcpStateSource? Tcp,
    Action<string> Warn)
{
    public int Rounds { get; init; }
    public TimeSpan[] RoundDurations { get; init; } = Array.Empty<TimeSpan>();
    public double RequestsPerRound { get; init; }
    public string? StoppedEarly { get; init; }
    public GuestPolicy? Policy { get; init; }
    public RequestTracker? Tracker { get; init; }
}

/// <summary>Turns the raw measurements into a GoProxyStabilityResult and runs the findings rules over it.</summary>
internal static class ResultBuilder
{
    public static GoProxyStabilityResult Build(ResultInput m)
    {
        var o = m.Options;
        double seconds = Math.Max(m.Elapsed.TotalSeconds, 1e-3);
        var latencies = m.Requests.SortedLatencies;
        var handshakes = m.Connections.Where(c => c.TlsHandshake is not null).Select(c => c.TlsHandshake!.Value).OrderBy(t => t).ToList();
        var lifetimes = m.Connections.Where(c => c.ClosedBy != ConnectionCloser.Open).Select(c => c.Lifetime).OrderBy(t => t).ToList();
        var rounds = m.RoundDurations.OrderBy(t => t).ToList();
        int connections = m.Connections.Length;
        int carrying = m.Connections.Count(c => c.Responses > 0);
        long segments = m.Connections.Sum(c => c.SegmentsOut ?? 0);
        long retrans = m.Connections.Sum(c => c.Retransmits ?? 0);
        bool haveTcpInfo = m.Connections.Any(c => c.SegmentsOut is not null);
        var reuse = TryReuse(m);
        var budget = PortBudget(m, connections / seconds, reuse?.PossibleToward(m.ProxyIsLoopback) == true);
        var goAwayEvents = GoAwayClassifier.Classify(m.Registry.Snapshot(), m.Registry.RunStartTicks);
        var result = new GoProxyStabilityResult
        {
            Proxy = o.Proxy.ToString(),
            Mode = o.Stress ? "Stress" : "Replay",
            Duration = TimeSpan.FromSeconds(Math.Round(seconds, 2)),
            StoppedEarly = m.StoppedEarly,
            Rounds = m.Rounds,
            RequestsPerRound = Math.Round(m.RequestsPerRound, 1),
            RoundDurationP50 = rounds.Count == 0 ? null : RequestLog.Percentile(rounds, 50),
            ProxyIsLocal = m.ProxyIsLocal,
            MaxRequests = m.Policy?.MaxRequests,
            MaxRequestRate = m.Policy?.MaxRequestRate,
            Concurrency = o.Concurrency,
            HttpVersion = o.Http11 ? "1.1" : "2",
            NegotiatedProtocol = string.Join(", ", m.Connections.GroupBy(c => c.Protocol ?? "none").OrderByDescending(g => g.Count()).Select(g => $"{g.Key}={g.Count()}")),
            LocalAddress = o.BindAddress?.ToString(),
            Modules = o.Modules.Select(x => x.ToString()).Concat(o.GoMod is null ? Array.Empty<string>() : new[] { $"go.mod of {o.GoMod.ModulePath}" }).ToArray(),
            Requests = m.Requests.Count,
            Responses = m.Requests.Responses,
            RequestsPerSecond = Math.Round(m.Requests.Count / seconds, 1),
            RequestsByKind = m.Requests.ByKind,
            StatusCodes = m.Requests.ByStatus,
            BytesReceived = m.Requests.Bytes,
            Failures = m.Requests.Failures,
            FailuresByType = m.Requests.ByFailure,
            Retries = m.Requests.Retries,
            RetriesByCause = m.Requests.RetriesByCause,
            ModulesNotFound = m.Requests.ModulesNotFound,
            FellThrough = m.Requests.FellThrough,
            LatencyP50 = RequestLog.Percentile(latencies, 50),
            LatencyP95 = RequestLog.Percentile(latencies, 95),
            LatencyP99 = RequestLog.Percentile(latencies, 99),
            Connections = connections,
            ConnectionsPerSecond = Math.Round(connections / seconds, 2),
            ReuseRatio = carrying == 0 ? 0 : Math.Round((double)m.Connections.Sum(c => c.Responses) / carrying, 2),
            ClosedByServer = m.Connections.Count(c => c.ClosedBy == ConnectionCloser.Server),
            ClosedByClient = m.Connections.Count(c => c.ClosedBy == ConnectionCloser.Client),
            ClosedAborted = m.Connections.Count(c => c.ClosedBy == ConnectionCloser.Aborted),
            ConnectionLifetimeP50 = lifetimes.Count == 0 ? null : RequestLog.Percentile(lifetimes, 50),
            TlsHandshakes = handshakes.Count,
            TlsHandshakeP50 = handshakes.Count == 0 ? null : RequestLog.Percentile(handshakes, 50),
            TlsHandshakeP95 = handshakes.Count == 0 ? null : RequestLog.Percentile(handshakes, 95),
            TlsFailureCauses = m.Requests.TlsCauses,
            GoAways = m.Registry.GoAways,
            GoAwayEvents = goAwayEvents,
            GoAwayDetails = GoAwayDetails(goAwayEvents),
            RstStreams = m.Registry.RstStreams,
            RstStreamCodes = Ordered(m.Registry.RstCodes()),
            LongestStall = m.Tracker?.LongestStall,
            StalledRequests = m.Tracker?.StalledRequests ?? 0,
            ConnectFailuresAtEnd = m.Policy?.ConnectFailuresInARow ?? 0,
            TimeWaitStart = 0,
            TimeWaitPeak = m.TimeWaitPeak.Client,
            TimeWaitEnd = m.TimeWaitEnd.Client,
            TimeWaitGrowthPerMinute = Math.Round(m.TimeWaitEnd.Client / (seconds / 60.0), 1),
            ServerTimeWaitPeak = m.TimeWaitPeak.Server,
            ServerTimeWaitEnd = m.TimeWaitEnd.Server,
            PortsReused = m.Registry.PortsReused(),
            TimeWaitReuse = reuse?.Describe(m.ProxyIsLoopback) ?? "unknown",
            PortBudget = budget,
            PortExhaustionEta = budget?.TimeToExhaustion,
            RetransmitRate = haveTcpInfo && segments > 0 ? Math.Round((double)retrans / segments, 5) : null,
            RetransmittedSegments = retrans,
            SegmentsSent = segments,
            SystemRetransmitRate = SystemRetransmitRate(m),
            Scope = m.Scope,
            ConnectionRecords = o.KeepConnectionRecords ? m.Connections : null,
        };
        result.Findings = StabilityRules.Evaluate(result, m.ProxyIsLocal)
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ToArray();
        result.Verdict = StabilityRules.Verdict(result.Findings, result.Responses);
        return result;
    }

    private static OrderedDictionary GoAwayDetails(GoProxyGoAway[] events)
    {
        var details = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var g in events.GroupBy(e => e.ErrorCode))
        {
            details[g.Key] = $"{g.Count()} connection(s) (last stream ids {string.Join(", ", g.Select(x => x.LastStreamId).Distinct().Take(5))})";
        }
        return details;
    }

    private static OrderedDictionary Ordered(System.Collections.Generic.Dictionary<string, int> counts)
    {
        var ordered = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            ordered[key] = value;
        }
        return ordered;
    }

    private static TimeWaitReuse? TryReuse(ResultInput m)
    {
        try
        {
            return PlatformServices.EphemeralPorts(m.Options.SystemRoot).ReadTimeWaitReuse();
        }
        catch (GoNetToolsException)
        {
            return null;
        }
    }

    /// <summary>
    /// The budget from our own sockets. When connect() may reuse a TIME_WAIT port (tcp_tw_reuse, timestamps), a port
    /// is free again about a second after it entered TIME_WAIT, so the sustainable rate is per second, not per 60 s.
    /// </summary>
    private static TcpPortBudget? PortBudget(ResultInput m, double connectionsPerSecond, bool reusePossible)
    {
        if (m.ClientSockets is null)
        {
            return null;
        }
        try
        {
            var ports = PlatformServices.EphemeralPorts(m.Options.SystemRoot);
            var proxy = m.Options.Proxy.FirstUrl!;
            // tcp_tw_reuse takes a TIME_WAIT port once its last timestamp is more than a second old (tcp_twsk_unique).
            return PortBudgetCalculator.Compute(ports.ReadRange(), ports.ReadTimeWait(), m.Scope, $"{proxy.Host} port {proxy.Port}", m.ClientSockets,
                m.Elapsed.TotalSeconds, connectionsPerSecond, reusePossible ? 1.0 : null);
        }
        catch (GoNetToolsException e)
        {
            m.Warn($"The port budget is not measured: {e.Message}");
            return null;
        }
    }

    private static double? SystemRetransmitRate(ResultInput m)
    {
        if (m.CountersBefore is null || m.CountersAfter is null || m.Tcp is null)
        {
            return null;
        }
        var (delta, rates) = TcpStatisticMath.Delta(m.CountersBefore, m.CountersAfter, m.Elapsed);
        var statistic = m.Tcp.ToStatistic(delta, DateTime.Now, m.Elapsed, rates);
        return statistic.RetransmitRate is { } r ? Math.Round(r, 5) : null;
    }
}
