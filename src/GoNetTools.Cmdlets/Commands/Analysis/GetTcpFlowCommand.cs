using System.Management.Automation;
using GoNetTools.Analysis;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpFlow: one object per TCP connection in pcap/pcapng captures — client (SYN sender) and server,
/// lifetime, handshake RTT, packets and bytes each way, retransmissions, who sent the first FIN or a RST
/// and so who holds TIME_WAIT, TLS SNI/ALPN and cleartext HTTP/2 GOAWAY/RST_STREAM. Streams each flow as it ends.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpFlow", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TcpFlow))]
public sealed class GetTcpFlowCommand : CaptureFileCommandBase
{
    /// <summary>Keep only flows whose server port is one of these (443 for a GOPROXY over HTTPS).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? ServerPort { get; set; }

    private protected override AnalysisOutputs Outputs => AnalysisOutputs.Flows;

    private protected override string Activity => "Reading TCP flows";

    private protected override void OnResult(object result)
    {
        if (result is TcpFlow flow && (ServerPort is null || System.Array.IndexOf(ServerPort, flow.ServerPort) >= 0))
        {
            WriteObject(flow);
        }
    }
}
