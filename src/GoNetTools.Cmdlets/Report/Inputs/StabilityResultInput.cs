using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Test-GoProxyStability's result: run parameters (replay rounds, the guest budget), headline figures (retries apart
/// from failures, TIME_WAIT measured on each side), findings, and its connection records (-PassThru).
/// </summary>
internal sealed class StabilityResultInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not GoProxyStabilityResult r)
        {
            return false;
        }
        Add(collector, r, null);
        return true;
    }

    /// <summary>One run as a source of its own; <paramref name="variant"/> names a -Compare variant ("HTTP/2 ×2").</summary>
    public static ReportSource Add(ReportCollector collector, GoProxyStabilityResult r, string? variant)
    {
        var source = collector.NewSource(variant is null ? "Test-GoProxyStability" : $"Test-GoProxyStability {variant}", r.Proxy);
        source.Verdict = r.Verdict.ToString();
        source.AddParameters(
            ("Proxy", r.Proxy), ("Mode", r.Mode == "Stress" ? "Stress (parallel fetches on one warm client)" : "Replay (cold go mod download rounds)"),
            ("Duration", ReportText.Duration(r.Duration)), ("Concurrency", ReportText.Number(r.Concurrency)),
            ("HTTP version asked", r.HttpVersion), ("Proxy on this host", r.ProxyIsLocal ? "yes" : "no"),
            ("Request budget", r.MaxRequests is { } max ? ReportText.Number(max) : "none"),
            ("Request rate cap", r.MaxRequestRate is { } rate ? $"{ReportText.Number(rate)}/s" : "none"),
            ("Stopped early", r.StoppedEarly ?? "no"), ("Local address", r.LocalAddress ?? "any"), ("Modules", string.Join(", ", r.Modules)),
            ("Scope", r.Scope));
        var proxySide = r.ProxyIsLocal ? $"{r.ServerTimeWaitPeak} / {r.ServerTimeWaitEnd}" : "not measurable (proxy not on this host)";
        source.AddFigures(
            ("Rounds", $"{ReportText.Number(r.Rounds)} ({ReportText.Number(r.RequestsPerRound)} requests each, p50 {ReportText.Duration(r.RoundDurationP50)})"),
            ("Requests / responses", $"{ReportText.Number(r.Requests)} / {ReportText.Number(r.Responses)}"), ("Requests/s", ReportText.Number(r.RequestsPerSecond)),
            ("Retried (not failures)", $"{ReportText.Number(r.Retries)} ({ReportText.Pairs(r.RetriesByCause)})"),
            ("Failures", $"{ReportText.Number(r.Failures)} ({ReportText.Pairs(r.FailuresByType)})"),
            ("Fell through / not found", $"{ReportText.Number(r.FellThrough)} / {(r.ModulesNotFound.Length == 0 ? "—" : string.Join(", ", r.ModulesNotFound))}"),
            ("Negotiated", r.NegotiatedProtocol), ("Connections", ReportText.Number(r.Connections)),
            ("Connections/s", ReportText.Number(r.ConnectionsPerSecond)), ("Requests per connection", ReportText.Number(r.ReuseRatio)),
            ("Closed by client / server / aborted", $"{r.ClosedByClient} / {r.ClosedByServer} / {r.ClosedAborted}"),
            ("TLS handshakes", $"{ReportText.Number(r.TlsHandshakes)} (p50 {ReportText.Duration(r.TlsHandshakeP50)}, p95 {ReportText.Duration(r.TlsHandshakeP95)})"),
            ("GOAWAY", $"{r.GoAways} ({ReportText.Pairs(r.GoAwayDetails)})"),
            ("GOAWAY meaning", r.GoAwayEvents.Length == 0 ? "—" : string.Join(", ", r.GoAwayEvents.GroupBy(e => e.Kind).Select(g => $"{g.Key}={g.Count()}"))),
            ("RST_STREAM", $"{r.RstStreams} ({ReportText.Pairs(r.RstStreamCodes)})"),
            ("Longest stall", r.LongestStall is { } stall ? $"{ReportText.Duration(stall)} ({r.StalledRequests} requests waiting)" : "none"),
            ("TIME_WAIT client side peak / end (measured)", $"{r.TimeWaitPeak} / {r.TimeWaitEnd}"),
            ("TIME_WAIT proxy side peak / end (measured)", proxySide),
            ("Ports reused / TIME_WAIT reuse", $"{r.PortsReused} / {r.TimeWaitReuse}"),
            ("Port exhaustion in", r.PortExhaustionEta is { } eta ? ReportText.Duration(eta) : "not at this rate"),
            ("Retransmitted", ReportText.Percent(r.RetransmitRate)));
        source.Percentiles.Add(new("p50", r.LatencyP50));
        source.Percentiles.Add(new("p95", r.LatencyP95));
        source.Percentiles.Add(new("p99", r.LatencyP99));
        source.TimeWaitCounts.Add(new("client", "peak", r.TimeWaitPeak));
        source.TimeWaitCounts.Add(new("client", "end", r.TimeWaitEnd));
        if (r.ProxyIsLocal)
        {
            source.TimeWaitCounts.Add(new("proxy", "peak", r.ServerTimeWaitPeak));
            source.TimeWaitCounts.Add(new("proxy", "end", r.ServerTimeWaitEnd));
        }
        foreach (var f in r.Findings)
        {
            collector.Findings.Add(new ReportFinding($"{source.Kind} {source.Name}", f.Severity.ToString(), f.Code, f.Message,
                ReportText.Entries(f.Evidence), f.Recommendation, f.Rule));
        }
        if (r.ConnectionRecords is { } records)
        {
            foreach (var record in records.Where(collector.FirstTime))
            {
                ConnectionRecordInput.AddTo(source, record);
            }
        }
        else
        {
            source.Notes.Add("Run Test-GoProxyStability with -PassThru for the connection timeline and the connect/TLS latency distribution.");
        }
        var timeWaitSeconds = r.PortBudget?.TimeWaitSeconds is > 0 and var s ? s : 60;
        source.Notes.Add($"TIME_WAIT curves (dashed) are derived from who closed each connection ({timeWaitSeconds} s on the side that closed first); " +
            "the run's own socket-table reads are drawn beside them: its measured peak as a thin line across the run (the peak's time is not recorded), " +
            "its measured end as a ring at the run's end. Pipe Watch-TcpState samples taken during the run for a measured curve.");
        source.TimeWaitSeconds = timeWaitSeconds;
        return source;
    }
}
