using System;

namespace GoNetTools.Report.Inputs;

/// <summary>Test-GoProxyStability's result: run parameters, headline figures, findings, and its connection records (-PassThru).</summary>
internal sealed class StabilityResultInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not GoProxyStabilityResult r)
        {
            return false;
        }
        var source = collector.NewSource("Test-GoProxyStability", r.Proxy);
        source.Verdict = r.Verdict.ToString();
        source.AddParameters(
            ("Proxy", r.Proxy), ("Duration", ReportText.Duration(r.Duration)), ("Concurrency", ReportText.Number(r.Concurrency)),
            ("HTTP version asked", r.HttpVersion), ("Local address", r.LocalAddress ?? "any"), ("Modules", string.Join(", ", r.Modules)),
            ("Scope", r.Scope));
        source.AddFigures(
            ("Requests", ReportText.Number(r.Requests)), ("Requests/s", ReportText.Number(r.RequestsPerSecond)),
            ("Failures", $"{ReportText.Number(r.Failures)} ({ReportText.Pairs(r.FailuresByType)})"),
            ("Negotiated", r.NegotiatedProtocol), ("Connections", ReportText.Number(r.Connections)),
            ("Connections/s", ReportText.Number(r.ConnectionsPerSecond)), ("Requests per connection", ReportText.Number(r.ReuseRatio)),
            ("Closed by client / server", $"{r.ClosedByClient} / {r.ClosedByServer}"),
            ("TLS handshakes", $"{ReportText.Number(r.TlsHandshakes)} (p50 {ReportText.Duration(r.TlsHandshakeP50)}, p95 {ReportText.Duration(r.TlsHandshakeP95)})"),
            ("GOAWAY", $"{r.GoAways} ({ReportText.Pairs(r.GoAwayDetails)})"), ("RST_STREAM", $"{r.RstStreams} ({ReportText.Pairs(r.RstStreamCodes)})"),
            ("TIME_WAIT start / peak / end", $"{r.TimeWaitStart} / {r.TimeWaitPeak} / {r.TimeWaitEnd}"),
            ("Port exhaustion in", r.PortExhaustionEta is { } eta ? ReportText.Duration(eta) : "not at this rate"),
            ("Retransmitted", ReportText.Percent(r.RetransmitRate)));
        source.Percentiles.Add(new("p50", r.LatencyP50));
        source.Percentiles.Add(new("p95", r.LatencyP95));
        source.Percentiles.Add(new("p99", r.LatencyP99));
        foreach (var f in r.Findings)
        {
            collector.Findings.Add(new ReportFinding($"{source.Kind} {source.Name}", f.Severity.ToString(), f.Code, f.Message,
                ReportText.Entries(f.Evidence), f.Recommendation, f.Rule));
        }
        if (r.ConnectionRecords is { } records)
        {
            foreach (var record in records)
            {
                if (collector.FirstTime(record))
                {
                    ConnectionRecordInput.AddTo(source, record);
                }
            }
        }
        else
        {
            source.Notes.Add("Run Test-GoProxyStability with -PassThru for the connection timeline and the connect/TLS latency distribution.");
        }
        var timeWaitSeconds = r.PortBudget?.TimeWaitSeconds is > 0 and var s ? s : 60;
        source.Notes.Add($"TIME_WAIT here is derived from who closed each connection ({timeWaitSeconds} s on the side that closed first); " +
            "pipe Watch-TcpState samples taken during the run for the measured population.");
        source.TimeWaitSeconds = timeWaitSeconds;
        return true;
    }
}
