using System.Management.Automation;
using GoNetTools.Metrics;
using GoNetTools.Metrics.Inputs;

namespace GoNetTools.Commands;

/// <summary>Shared by ConvertTo-GoNetMetric and Export-GoNetMetric: the inputs become metric families, written at the end.</summary>
public abstract class MetricCommandBase : ExportCommandBase
{
    private readonly MetricSet _metrics = new();

    /// <summary>Prometheus text 0.0.4 (default; node_exporter's textfile collector) or OpenMetrics 1.0 (a scraped or pushed endpoint).</summary>
    [Parameter]
    public MetricFormat Format { get; set; } = MetricFormat.Prometheus;

    private protected override bool Accept(object input) => MetricInputs.Add(input, _metrics);

    /// <summary>The exposition text, and the set it came from.</summary>
    private protected (string Text, MetricSet Metrics) Render()
    {
        RequireInput("the metrics writer");
        MetricInputs.Finish(_metrics);
        foreach (var warning in _metrics.Warnings)
        {
            WriteWarning(warning);
        }
        return (MetricText.Write(_metrics, Format), _metrics);
    }
}
