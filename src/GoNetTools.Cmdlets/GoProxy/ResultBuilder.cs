using System;
using System.Collections.Specialized;
using System.Linq;
using GoNetTools.Core;
using GoNetTools.Platform;

namespace GoNetTools.GoProxy;

/// <summary>Everything measured in one run, handed from the engine to the result builder.</summary>
internal sealed record ResultInput(
    StabilityOptions Options, TimeSpan Elapsed, RequestSummary Requests, GoProxyConnection[] Connections, ConnectionRegistry Registry,
    (int Client, int Server) TimeWaitStart, (int Client, int Server) TimeWaitPeak, (int Client, int Server) TimeWaitEnd, bool ProxyIsLocal,
    string Scope, TcpStateTally? ClientSockets, OrderedDictionary? CountersBefore, OrderedDictionary? CountersAfter, ITcpStateSource? Tcp,
    Action<string> Warn);

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
        int requests = m.Requests.Count;
        int connections = m.Connections.Length;
        long segments = m.Connections.Sum(c => c.SegmentsOut ?? 0);
        long retrans = m.Connections.Sum(c => c.Retransmits ?? 0);
        bool haveTcpInfo = m.Connections.Any(c => c.SegmentsOut is not null);
        var budget = PortBudget(m, connections / seconds);
        int twStart = m.TimeWaitStart.Client + m.TimeWaitStart.Server;
        int twEnd = m.TimeWaitEnd.Client + m.TimeWaitEnd.Server;
        var goAways = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var g in m.Registry.GoAwayList().GroupBy(g => g.Code))
        {
            goAways[g.Key] = $"{g.Count()} (last stream ids {string.Join(", ", g.Select(x => x.LastStreamId).Distinct().Take(5))})";
        }
        var rst = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (code, count) in m.Registry.RstCodes().OrderByDescending(kv => kv.Value))
        {
            rst[code] = count;
        }
        var result = new GoProxyStabilityResult
        {
            Proxy = o.Proxy.AbsoluteUri,
            Duration = TimeSpan.FromSeconds(Math.Round(seconds, 2)),
            Concurrency = o.Concurrency,
            HttpVersion = o.Http11 ? "1.1" : "2",
            NegotiatedProtocol = string.Join(", ", m.Connections.GroupBy(c => c.Protocol ?? "none").OrderByDescending(g => g.Count()).Select(g => $"{g.Key}={g.Count()}")),
            LocalAddress = o.BindAddress?.ToString(),
            Modules = o.Modules.Select(x => x.ToString()).ToArray(),
            Requests = requests,
            RequestsPerSecond = Math.Round(requests / seconds, 1),
            RequestsByKind = m.Requests.ByKind,
            StatusCodes = m.Requests.ByStatus,
            BytesReceived = m.Requests.Bytes,
            Failures = m.Requests.Failures,
            FailuresByType = m.Requests.ByFailure,
            LatencyP50 = RequestLog.Percentile(latencies, 50),
            LatencyP95 = RequestLog.Percentile(latencies, 95),
            LatencyP99 = RequestLog.Percentile(latencies, 99),
            Connections = connections,
            ConnectionsPerSecond = Math.Round(connections / seconds, 2),
            ReuseRatio = connections == 0 ? 0 : Math.Round((double)requests / connections, 2),
            ClosedByServer = m.Connections.Count(c => c.ClosedBy == ConnectionCloser.Server),
            ClosedByClient = m.Connections.Count(c => c.ClosedBy == ConnectionCloser.Client),
            ConnectionLifetimeP50 = lifetimes.Count == 0 ? null : RequestLog.Percentile(lifetimes, 50),
            TlsHandshakes = handshakes.Count,
            TlsHandshakeP50 = handshakes.Count == 0 ? null : RequestLog.Percentile(handshakes, 50),
            TlsHandshakeP95 = handshakes.Count == 0 ? null : RequestLog.Percentile(handshakes, 95),
            GoAways = m.Registry.GoAways,
            GoAwayDetails = goAways,
            RstStreams = m.Registry.RstStreams,
            RstStreamCodes = rst,
            TimeWaitStart = twStart,
            TimeWaitPeak = Math.Max(twStart, m.TimeWaitPeak.Client + m.TimeWaitPeak.Server),
            TimeWaitEnd = twEnd,
            TimeWaitGrowthPerMinute = Math.Round((twEnd - twStart) / (seconds / 60.0), 1),
            PortBudget = budget,
            PortExhaustionEta = budget?.TimeToExhaustion,
            RetransmitRate = haveTcpInfo && segments > 0 ? Math.Round((double)retrans / segments, 5) : null,
            RetransmittedSegments = retrans,
            SegmentsSent = segments,
            SystemRetransmitRate = SystemRetransmitRate(m),
            Scope = m.Scope,
            ConnectionRecords = o.KeepConnectionRecords ? m.Connections : null,
        };
        result.Findings = StabilityRules.Evaluate(result, m.ProxyIsLocal, m.TimeWaitPeak)
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ToArray();
        result.Verdict = StabilityRules.Verdict(result.Findings);
        return result;
    }

    private static TcpPortBudget? PortBudget(ResultInput m, double connectionsPerSecond)
    {
        if (m.ClientSockets is null)
        {
            return null;
        }
        try
        {
            var ports = PlatformServices.EphemeralPorts(m.Options.SystemRoot);
            var destination = $"{m.Options.Proxy.Host} port {m.Options.Proxy.Port}";
            return PortBudgetCalculator.Compute(ports.ReadRange(), ports.ReadTimeWait(), m.Scope, destination, m.ClientSockets,
                m.Elapsed.TotalSeconds, connectionsPerSecond);
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
