using System.Diagnostics;
using System.Management.Automation;
using System.Text;

namespace GoNetTools.Commands;

/// <summary>
/// Export-GoNetReport: writes the HTML report of the piped GoNetTools results to -Path (atomically; -Force to
/// replace a file), one file that needs no network to open, print or mail.
/// </summary>
[Cmdlet(VerbsData.Export, "GoNetReport", SupportsShouldProcess = true)]
[OutputType(typeof(ReportFile))]
public sealed class ExportGoNetReportCommand : ReportCommandBase
{
    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace the file when it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write a GoNetTools.ReportFile describing what was written and drawn.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var watch = Stopwatch.StartNew();
        Export(Path, Force, PassThru, "Write the HTML report", Render, (path, bytes, counts) => new ReportFile
        {
            Path = path,
            Bytes = bytes.LongLength,
            Sources = counts.Sources,
            Connections = counts.Connections,
            ConnectionBars = counts.ConnectionBars,
            TimelineBuckets = counts.TimelineBuckets,
            Marks = counts.Marks,
            TimeWaitSeries = counts.TimeWaitSeries,
            TimeWaitPoints = counts.TimeWaitPoints,
            Findings = counts.Findings,
            TimeWaitCounts = counts.TimeWaitCounts,
            Elapsed = watch.Elapsed,
        });
    }
}
