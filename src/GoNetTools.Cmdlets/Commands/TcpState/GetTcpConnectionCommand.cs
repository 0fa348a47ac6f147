using System.Management.Automation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpConnection: the OS's TCP sockets as objects, filtered in the kernel by state where the OS allows
/// it. No match returns nothing, without an error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpConnection")]
[OutputType(typeof(TcpConnection))]
public sealed class GetTcpConnectionCommand : TcpConnectionCommandBase
{
    /// <summary>States to keep (TimeWait, Established…); all states when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public TcpState[]? State { get; set; }

    /// <summary>Process ids to keep. TIME_WAIT sockets have no owning process and never match.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int[]? OwningProcess { get; set; }

    /// <summary>Adds tcp_info (RTT, congestion window, retransmissions) to each socket that has one.</summary>
    [Parameter]
    public SwitchParameter IncludeInfo { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing() =>
        WriteConnections(new TcpStateQuery { States = State, Family = AddressFamily, IncludeInfo = IncludeInfo }, OwningProcess);
}
