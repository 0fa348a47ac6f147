namespace GoNetTools.Metrics.Inputs;

/// <summary>Measure-GoModDownload: what the last `go mod download` cost, per proxy (gauges: figures of one run).</summary>
internal sealed class GoModDownloadMetrics : IMetricInput
{
    public bool TryAdd(object input, MetricSet m)
    {
        if (input is not GoModDownloadMeasurement d)
        {
            return false;
        }
        var proxy = ("proxy", d.Proxy);
        m.Gauge("gonettools_gomod_download_succeeded", "1 when the last go mod download exited with 0.", d.Succeeded ? 1 : 0, proxy);
        m.Gauge("gonettools_gomod_download_duration_seconds", "Wall time of the last go mod download.", d.TotalTime.TotalSeconds, proxy);
        m.Gauge("gonettools_gomod_download_requests", "HTTP requests the last go mod download made.", d.Requests, proxy);
        m.Gauge("gonettools_gomod_download_connections", "TCP connections the last go mod download opened.", d.Connections, proxy);
        m.Gauge("gonettools_gomod_download_tls_handshakes", "TLS ClientHellos of the last go mod download.", d.TlsHandshakes, proxy);
        m.Gauge("gonettools_gomod_download_client_time_wait_connections", "Connections go closed first (TIME_WAIT on this machine).", d.TimeWaitOnClient, proxy);
        return true;
    }
}
