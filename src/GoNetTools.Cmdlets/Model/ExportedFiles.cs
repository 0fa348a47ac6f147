using System;
using GoNetTools.Metrics;

namespace GoNetTools;

/// <summary>The HTML report Export-GoNetReport wrote (-PassThru), and what it drew.</summary>
public sealed class ReportFile
{
    /// <summary>The file written.</summary>
    public string Path { get; init; } = "";
    /// <summary>Its size in bytes.</summary>
    public long Bytes { get; init; }
    /// <summary>Runs and captures shown (stability results, downloads, capture files).</summary>
    public int Sources { get; init; }
    /// <summary>Connections the inputs held.</summary>
    public int Connections { get; init; }
    /// <summary>Connection bars drawn (timelines of at most -MaxConnectionBars connections).</summary>
    public int ConnectionBars { get; init; }
    /// <summary>Time buckets drawn instead of bars (larger timelines): one per time slice and closer.</summary>
    public int TimelineBuckets { get; init; }
    /// <summary>GOAWAY and RST_STREAM marks.</summary>
    public int Marks { get; init; }
    /// <summary>Measured TIME_WAIT series (one per Watch-TcpState run).</summary>
    public int TimeWaitSeries { get; init; }
    /// <summary>Points of the measured TIME_WAIT series: one per sample.</summary>
    public int TimeWaitPoints { get; init; }
    /// <summary>Findings listed.</summary>
    public int Findings { get; init; }
    /// <summary>TIME_WAIT counts stability runs measured themselves (peak and end, client and proxy side) drawn beside the curves.</summary>
    public int TimeWaitCounts { get; init; }
    /// <summary>Time to lay out and write the report.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <inheritdoc />
    public override string ToString() => Path;
}

/// <summary>The metrics file Export-GoNetMetric wrote (-PassThru).</summary>
public sealed class MetricsFile
{
    /// <summary>The file written.</summary>
    public string Path { get; init; } = "";
    /// <summary>Prometheus (text 0.0.4, for node_exporter's textfile collector) or OpenMetrics.</summary>
    public MetricFormat Format { get; init; }
    /// <summary>Its size in bytes.</summary>
    public long Bytes { get; init; }
    /// <summary>Metric families written.</summary>
    public int Families { get; init; }
    /// <summary>Samples written.</summary>
    public int Samples { get; init; }

    /// <inheritdoc />
    public override string ToString() => Path;
}
