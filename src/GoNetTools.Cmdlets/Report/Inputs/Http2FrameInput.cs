namespace GoNetTools.Report.Inputs;

/// <summary>Get-Http2Frame: GOAWAY and RST_STREAM frames with their capture times (other frame types are taken and not shown).</summary>
internal sealed class Http2FrameInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not Http2Frame frame)
        {
            return false;
        }
        if (frame.Type is Http2FrameType.GoAway or Http2FrameType.RstStream)
        {
            collector.Frames.Add(frame);
        }
        return true;
    }
}
