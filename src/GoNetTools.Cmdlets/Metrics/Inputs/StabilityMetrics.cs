using System;
using System.Collections;
using System.Linq;

namespace GoNetTools.Metrics.Inputs;

/// <summary>
/// Test-GoProxyStability: the last run's verdict, findings, requests, GOAWAY/RST_STREAM frames, TIME_WAIT and
/// latencies per proxy. These are figures of one run, so they are gauges (a run's counts restart from zero, which a
/// counter's rate() would misread as growth).
/// </summary>
internal sealed class StabilityMetrics : IMetricInput
{
    public bool TryAdd(object input, MetricSet m)
    {
        if (input is GoProxyConnection)
        {
            return true; // its result carries the figures; records are for the report
        }
        if (input is not GoProxyStabilityResult r)
        {
            return false;
        }
        var proxy = ("proxy", r.Proxy);
        foreach (var verdict in Enum.GetValues<StabilityVerdict>())
        {
            m.Gauge("gonettools_stability_verdict", "1 for the verdict of the last Test-GoProxyStability run against the proxy, 0 for the others.",
                verdict == r.Verdict ? 1 : 0, proxy, ("verdict", verdict.ToString()));
        }
        foreach (var severity in Enum.GetValues<FindingSeverity>())
        {
            m.Gauge("gonettools_stability_findings", "Findings of the last run, by severity.", r.Findings.Count(f => f.Severity == severity),
                proxy, ("severity", severity.ToString()));
        }
        foreach (var f in r.Findings)
        {
            m.Gauge("gonettools_stability_finding", "1 for each rule that fired in the last run.", 1, proxy, ("code", f.Code), ("severity", f.Severity.ToString()));
        }
        m.Gauge("gonettools_stability_requests", "Requests the last run completed.", r.Requests, proxy);
        m.Gauge("gonettools_stability_request_failures", "Requests of the last run that failed.", r.Failures, proxy);
        m.Gauge("gonettools_stability_connections", "TCP connections the last run opened.", r.Connections, proxy);
        m.Gauge("gonettools_stability_duration_seconds", "How long the last run loaded the proxy.", r.Duration.TotalSeconds, proxy);
        m.Gauge("gonettools_stability_goaway_frames", "HTTP/2 GOAWAY frames the proxy sent in the last run.", r.GoAways, proxy);
        m.Gauge("gonettools_stability_rst_stream_frames", "HTTP/2 RST_STREAM frames the proxy sent in the last run.", r.RstStreams, proxy);
        foreach (var (code, count) in r.GoAwayEvents.GroupBy(e => e.ErrorCode).Select(g => (g.Key, (long)g.Sum(e => e.Frames))))
        {
            m.Gauge("gonettools_stability_goaway_frames_by_code", "GOAWAY frames of the last run by HTTP/2 error code.", count, proxy, ("error_code", code));
        }
        foreach (var (code, count) in ByCode(r.RstStreamCodes))
        {
            m.Gauge("gonettools_stability_rst_stream_frames_by_code", "RST_STREAM frames of the last run by HTTP/2 error code.", count, proxy, ("error_code", code));
        }
        foreach (var (side, point, value) in TimeWait(r))
        {
            m.Gauge("gonettools_stability_time_wait_sockets",
                "TIME_WAIT sockets of the last run's connections, measured at its start, peak and end; side client holds our ports, side proxy the proxy's (a proxy on this host only).",
                value, proxy, ("side", side), ("point", point));
        }
        m.Gauge("gonettools_stability_rounds", "Rounds (cold go mod download replays) the last run completed.", r.Rounds, proxy);
        m.Gauge("gonettools_stability_retries", "Requests the last run sent again as Go's transport does (unprocessed by the proxy; not failures).", r.Retries, proxy);
        foreach (var (cause, count) in Counts(r.RetriesByCause))
        {
            m.Gauge("gonettools_stability_retries_by_cause", "Retries of the last run by cause.", count, proxy, ("cause", cause));
        }
        foreach (var (type, count) in Counts(r.FailuresByType))
        {
            m.Gauge("gonettools_stability_request_failures_by_type", "Failed requests of the last run by type.", count, proxy, ("type", type));
        }
        foreach (var kind in Enum.GetValues<GoAwayKind>())
        {
            m.Gauge("gonettools_stability_goaway_connections", "Connections of the last run that got a GOAWAY, by what it meant.",
                r.GoAwayEvents.Count(e => e.Kind == kind), proxy, ("kind", kind.ToString()));
        }
        if (r.MaxRequests is { } budget)
        {
            m.Gauge("gonettools_stability_request_budget", "The guest request budget the last run kept to (a proxy not on this host).", budget, proxy);
        }
        m.Gauge("gonettools_stability_stopped_early", "1 when the last run ended before its duration or rounds (the budget, a dead or stalled proxy).",
            r.StoppedEarly is null ? 0 : 1, proxy);
        m.Summary("gonettools_stability_request_duration_seconds", "Request latency of the last run (send to last body byte).",
            new[] { (0.5, r.LatencyP50.TotalSeconds), (0.95, r.LatencyP95.TotalSeconds), (0.99, r.LatencyP99.TotalSeconds) }, r.Requests, null, proxy);
        var handshakes = r.ConnectionRecords?.Where(c => c.TlsHandshake is not null).Select(c => c.TlsHandshake!.Value.TotalSeconds).ToList();
        m.Summary("gonettools_stability_tls_handshake_duration_seconds", "TLS handshake time of the last run (TCP connected to TLS done; Go gives up at 10 s).",
            new[] { (0.5, r.TlsHandshakeP50), (0.95, r.TlsHandshakeP95) }.Where(q => q.Item2 is not null).Select(q => (q.Item1, q.Item2!.Value.TotalSeconds)),
            r.TlsHandshakes, handshakes is { Count: > 0 } ? handshakes.Sum() : null, proxy);
        return true;
    }

    private static (string Side, string Point, int Value)[] TimeWait(GoProxyStabilityResult r) =>
        new[] { ("client", "start", r.TimeWaitStart), ("client", "peak", r.TimeWaitPeak), ("client", "end", r.TimeWaitEnd) }
            .Concat(r.ProxyIsLocal ? new[] { ("proxy", "peak", r.ServerTimeWaitPeak), ("proxy", "end", r.ServerTimeWaitEnd) } : Array.Empty<(string, string, int)>())
            .ToArray();

    /// <summary>Counts by a name from the module's own fixed set (failure types, retry causes): a bounded label.</summary>
    private static (string Name, long Count)[] Counts(IDictionary counts) =>
        counts.Cast<DictionaryEntry>().Select(e => (e.Key.ToString() ?? "", Convert.ToInt64(e.Value, System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    /// <summary>"NO_ERROR last=1999" → NO_ERROR: the stream id would make a label per value.</summary>
    private static (string Code, long Count)[] ByCode(IDictionary details) =>
        details.Cast<DictionaryEntry>()
            .GroupBy(e => (e.Key.ToString() ?? "").Split(' ')[0])
            .Select(g => (g.Key, g.Sum(e => Convert.ToInt64(e.Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToArray();
}
