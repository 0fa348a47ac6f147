using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// ConvertTo-GoNetMetric: turns GoNetTools results from the pipeline into Prometheus or OpenMetrics exposition text
/// (a string), for a Pushgateway or an endpoint of your own.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "GoNetMetric")]
[OutputType(typeof(string))]
public sealed class ConvertToGoNetMetricCommand : MetricCommandBase
{
    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(Render().Text);
}
