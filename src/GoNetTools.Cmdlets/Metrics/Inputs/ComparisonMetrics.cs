using System.Globalization;

namespace GoNetTools.Metrics.Inputs;

/// <summary>
/// Test-GoProxyStability -Compare: each variant's key figures, labelled by its HTTP version and concurrency (two or
/// three variants per proxy: bounded), and which one was healthier. The variants' full results are not written as
/// gonettools_stability_* too: two runs against one proxy would be two values of one series.
/// </summary>
internal sealed class ComparisonMetrics : IMetricInput
{
    public bool TryAdd(object input, MetricSet m)
    {
        if (input is not GoProxyComparison c)
        {
            return false;
        }
        foreach (var v in c.Variants)
        {
            var labels = new[] { ("proxy", c.Proxy), ("http_version", v.HttpVersion), ("concurrency", v.Concurrency.ToString(CultureInfo.InvariantCulture)) };
            m.Gauge("gonettools_stability_comparison_healthier", "1 for the variant -Compare found healthier, 0 for the others.", v.Healthier ? 1 : 0, labels);
            m.Gauge("gonettools_stability_comparison_requests", "Requests the variant judged.", v.Requests, labels);
            m.Gauge("gonettools_stability_comparison_request_failures", "Requests of the variant that failed.", v.Failures, labels);
            m.Gauge("gonettools_stability_comparison_retries", "Requests the variant sent again as Go's transport does (not failures).", v.Retries, labels);
            m.Gauge("gonettools_stability_comparison_connections", "TCP connections the variant opened.", v.Connections, labels);
            m.Gauge("gonettools_stability_comparison_time_wait_peak_sockets", "Peak TIME_WAIT sockets of the variant's connections (client side).", v.TimeWaitPeak, labels);
            m.Gauge("gonettools_stability_comparison_tls_handshakes", "TLS handshakes the variant made.", v.TlsHandshakes, labels);
            m.Gauge("gonettools_stability_comparison_request_duration_p95_seconds", "95th percentile request latency of the variant.", v.LatencyP95.TotalSeconds, labels);
            if (v.RoundDurationP50 is { } round)
            {
                m.Gauge("gonettools_stability_comparison_round_duration_p50_seconds", "Median time of one cold download of the module set.", round.TotalSeconds, labels);
            }
        }
        return true;
    }
}
