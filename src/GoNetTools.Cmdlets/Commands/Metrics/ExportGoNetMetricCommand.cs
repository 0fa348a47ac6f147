using System.Management.Automation;
using System.Text;

namespace GoNetTools.Commands;

/// <summary>
/// Export-GoNetMetric: writes the piped GoNetTools results as a metrics file for node_exporter's textfile collector,
/// atomically (a temp file in the same folder, then a rename), so a scrape never reads half a file.
/// </summary>
[Cmdlet(VerbsData.Export, "GoNetMetric", SupportsShouldProcess = true)]
[OutputType(typeof(MetricsFile))]
public sealed class ExportGoNetMetricCommand : MetricCommandBase
{
    /// <summary>The file to write; for the textfile collector a *.prom file in its --collector.textfile.directory.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace the file when it exists (what a periodic job does).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write a GoNetTools.MetricsFile describing what was written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing() =>
        Export(Path, Force, PassThru, "Write the metrics file", Render, (path, bytes, metrics) =>
            new MetricsFile { Path = path, Format = Format, Bytes = bytes.LongLength, Families = metrics.Families.Count, Samples = metrics.SampleCount });
}
