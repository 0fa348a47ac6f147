using System.Management.Automation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpTimeWait: the sockets in TIME_WAIT, with the time each has left where the OS tells it.
/// The population is asked for with an explicit state (plain `ss -t` hides TIME_WAIT).
/// TIME_WAIT sockets have no owning process, so there is no -OwningProcess filter.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpTimeWait")]
[OutputType(typeof(TcpConnection))]
public sealed class GetTcpTimeWaitCommand : TcpConnectionCommandBase
{
    private static readonly TcpState[] TimeWaitOnly = { TcpState.TimeWait };

    /// <inheritdoc />
    protected override void EndProcessing() =>
        WriteConnections(new TcpStateQuery { States = TimeWaitOnly, Family = AddressFamily, ResolveOwners = false }, owningProcess: null);
}
