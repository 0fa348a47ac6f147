using System.Management.Automation;
using GoNetTools.Analysis;

namespace GoNetTools.Commands;

/// <summary>
/// Get-Http2Frame: the HTTP/2 frames of cleartext flows (prior-knowledge preface or h2c upgrade) in
/// pcap/pcapng captures, with GOAWAY, RST_STREAM, SETTINGS and WINDOW_UPDATE fields decoded. TLS-protected
/// HTTP/2 cannot be read from a capture without the session keys.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Http2Frame", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Http2Frame))]
public sealed class GetHttp2FrameCommand : CaptureFileCommandBase
{
    /// <summary>Keep only these frame types (GoAway, RstStream, Settings…).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Http2FrameType[]? Type { get; set; }

    private protected override AnalysisOutputs Outputs => AnalysisOutputs.Frames;

    private protected override string Activity => "Reading HTTP/2 frames";

    private protected override void OnResult(object result)
    {
        if (result is Http2Frame frame && (Type is null || System.Array.IndexOf(Type, frame.Type) >= 0))
        {
            WriteObject(frame);
        }
    }
}
