using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// ConvertTo-GoNetReport: turns GoNetTools results from the pipeline into one self-contained HTML document (a string):
/// TIME_WAIT over time, connection timelines with GOAWAY/RST_STREAM marks, latency distributions, findings with
/// their evidence, run parameters.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "GoNetReport")]
[OutputType(typeof(string))]
public sealed class ConvertToGoNetReportCommand : ReportCommandBase
{
    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(Render().Html);
}
