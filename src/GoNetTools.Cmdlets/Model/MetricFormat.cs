namespace GoNetTools;

/// <summary>The text formats the metrics writer speaks.</summary>
public enum MetricFormat
{
    /// <summary>Prometheus text format 0.0.4: what node_exporter's textfile collector reads.</summary>
    Prometheus,
    /// <summary>OpenMetrics 1.0 text (application/openmetrics-text): for a scraped or pushed endpoint.</summary>
    OpenMetrics,
}
