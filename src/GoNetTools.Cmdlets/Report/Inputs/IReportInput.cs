using System.Collections.Generic;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Turns one kind of pipeline object into the neutral report model. One class per input type, so a new output type
/// (the workstation results, a reshaped stability result) is one new adapter added to <see cref="ReportInputs.All"/>
/// and nothing else changes.
/// </summary>
internal interface IReportInput
{
    /// <summary>Takes <paramref name="input"/> when it is this adapter's type; false leaves it to the next adapter.</summary>
    bool TryAdd(object input, ReportCollector collector);
}

/// <summary>The adapters, asked in order.</summary>
internal static class ReportInputs
{
    public static readonly IReadOnlyList<IReportInput> All = new IReportInput[]
    {
        new StabilityResultInput(),
        new ComparisonInput(),
        new ConnectionRecordInput(),
        new TcpStateSampleInput(),
        new GoModDownloadInput(),
        new CaptureSummaryInput(),
        new TcpFlowInput(),
        new Http2FrameInput(),
    };
}
