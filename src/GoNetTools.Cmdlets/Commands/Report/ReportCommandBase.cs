using System;
using System.Management.Automation;
using GoNetTools.Report;

namespace GoNetTools.Commands;

/// <summary>Shared by ConvertTo-GoNetReport and Export-GoNetReport: the inputs go into one report model, laid out at the end.</summary>
public abstract class ReportCommandBase : ExportCommandBase
{
    private readonly ReportCollector _collector = new();

    /// <summary>The report's title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "GoNetTools report";

    /// <summary>Up to this many connections a timeline draws one bar each; above it, time buckets (default 500).</summary>
    [Parameter]
    [ValidateRange(1, 20000)]
    public int MaxConnectionBars { get; set; } = 500;

    private protected override bool Accept(object input) => _collector.Add(input);

    /// <summary>The whole HTML document and what it drew.</summary>
    private protected (string Html, ReportCounts Counts) Render()
    {
        RequireInput("the report");
        var version = typeof(ReportCommandBase).Assembly.GetName().Version?.ToString(3) ?? "";
        return HtmlReport.Render(_collector, new ReportOptions(Title, MaxConnectionBars, DateTime.UtcNow, Environment.MachineName, version));
    }
}
