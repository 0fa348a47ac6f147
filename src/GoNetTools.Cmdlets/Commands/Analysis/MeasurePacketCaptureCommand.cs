using System;
using System.Management.Automation;
using GoNetTools.Analysis;

namespace GoNetTools.Commands;

/// <summary>
/// Measure-PacketCapture: one summary per capture file — connections and connections per second, TLS
/// handshakes by SNI, connection lifetimes (p50/p95/max), which side held TIME_WAIT, resets,
/// retransmissions, GOAWAY and RST_STREAM by error code, and requests per connection where visible.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "PacketCapture", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CaptureSummary))]
public sealed class MeasurePacketCaptureCommand : CaptureFileCommandBase
{
    private CaptureSummaryBuilder _summary = new();

    private protected override AnalysisOutputs Outputs => AnalysisOutputs.Flows | AnalysisOutputs.Handshakes;

    private protected override string Activity => "Measuring capture";

    private protected override void OnResult(object result)
    {
        switch (result)
        {
            case TcpFlow flow:
                _summary.Add(flow);
                break;
            case TlsHandshake handshake:
                _summary.Add(handshake);
                break;
        }
    }

    private protected override void OnFileDone(string path, CaptureAnalyzer analyzer)
    {
        var span = analyzer.Packets > 0 && analyzer.LastTicks >= analyzer.FirstTicks
            ? TimeSpan.FromTicks(analyzer.LastTicks - analyzer.FirstTicks)
            : TimeSpan.Zero;
        _summary.AddCapture(analyzer.Packets, span, analyzer.Warning);
        WriteObject(_summary.Build(path));
        _summary = new CaptureSummaryBuilder();
    }
}
