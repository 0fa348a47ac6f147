using System;
using System.Linq;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Get-TcpFlow: one bar per flow, coloured by the side whose FIN came first (a RST makes it Aborted). GOAWAY and
/// RST_STREAM marks come from Get-Http2Frame piped alongside (exact times); without those, the flow's own counts are
/// marked at its end.
/// </summary>
internal sealed class TcpFlowInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not TcpFlow f)
        {
            return false;
        }
        var source = collector.SourceFor("capture:" + f.Path, () => new ReportSource("Capture", f.Path) { TimeWaitSeconds = 60 });
        var closer = f.ResetBy != FlowSide.None ? ReportCloser.Aborted
            : f.Open ? ReportCloser.Open
            : f.FirstFin == FlowSide.Client ? ReportCloser.Client
            : f.FirstFin == FlowSide.Server ? ReportCloser.Server
            : ReportCloser.Open;
        var id = source.Connections.Count + 1;
        var protocol = f.AlpnSelected ?? f.Protocol.ToString();
        var requests = f.Http2Streams ?? 0;
        var detail = $"{f.Client} → {f.Server} {protocol}{(f.Sni is null ? "" : " " + f.Sni)}, {ReportText.Duration(f.Duration)}, " +
            $"first FIN {f.FirstFin}, RST {f.ResetBy}";
        source.Connections.Add(new ReportConnection(id, ReportCollector.Utc(f.Start), ReportCollector.Utc(f.End), closer, protocol, requests, detail)
        {
            ConnectTime = f.HandshakeRtt,
            Endpoints = $"{f.Client} → {f.Server}",
        });
        var end = ReportCollector.Utc(f.End);
        var goaways = f.GoAways?.Sum(g => g.Count) ?? 0;
        var resets = f.RstStreams?.Sum(g => g.Count) ?? 0;
        if (goaways > 0)
        {
            source.Marks.Add(new ReportMark(id, end, ReportMarkKind.GoAway, $"{f.Client}: {goaways} GOAWAY ({string.Join(", ", f.GoAways!.Select(g => g.ToString()))})", AtKnown: false));
        }
        if (resets > 0)
        {
            source.Marks.Add(new ReportMark(id, end, ReportMarkKind.RstStream, $"{f.Client}: {resets} RST_STREAM ({string.Join(", ", f.RstStreams!.Select(g => g.ToString()))})", AtKnown: false));
        }
        return true;
    }

    /// <summary>
    /// Replaces a capture's end-of-flow marks by the frames' own times where Get-Http2Frame gave them: each frame goes to
    /// the flow with its endpoints that was open at that time.
    /// </summary>
    public static void PlaceFrames(ReportCollector collector)
    {
        foreach (var group in collector.Frames.GroupBy(f => f.Path))
        {
            if (collector.Sources.FirstOrDefault(s => s.Kind == "Capture" && s.Name == group.Key) is not { } source)
            {
                continue;
            }
            source.Marks.RemoveAll(m => !m.AtKnown);
            foreach (var frame in group)
            {
                var at = ReportCollector.Utc(frame.Time);
                var flow = source.Connections.FirstOrDefault(c => c.Endpoints == $"{frame.Client} → {frame.Server}"
                    && c.Start <= at && at <= c.End.AddMilliseconds(1));
                if (flow is null)
                {
                    continue;
                }
                var kind = frame.Type == Http2FrameType.GoAway ? ReportMarkKind.GoAway : ReportMarkKind.RstStream;
                var what = frame.Type == Http2FrameType.GoAway ? $"GOAWAY {frame.ErrorCode} last-stream={frame.LastStreamId}" : $"RST_STREAM {frame.ErrorCode} stream {frame.StreamId}";
                source.Marks.Add(new ReportMark(flow.Id, at, kind, $"{frame.Client} {frame.Direction}: {what}", AtKnown: true));
            }
        }
    }
}
