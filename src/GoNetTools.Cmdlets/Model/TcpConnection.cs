using System;

namespace GoNetTools;

/// <summary>
/// One TCP socket as the OS reports it. Kept compact on purpose (address strings are shared between rows
/// with the same address) so 100k TIME_WAIT rows stay cheap.
/// </summary>
public sealed class TcpConnection
{
    /// <summary>Local IP address, as text.</summary>
    public string LocalAddress { get; init; } = "";
    /// <summary>Local port.</summary>
    public int LocalPort { get; init; }
    /// <summary>Remote IP address, as text.</summary>
    public string RemoteAddress { get; init; } = "";
    /// <summary>Remote port.</summary>
    public int RemotePort { get; init; }
    /// <summary>Connection state.</summary>
    public TcpState State { get; init; }
    /// <summary>IPv4 or IPv6.</summary>
    public IPFamily AddressFamily { get; init; }
    /// <summary>Owning process id; null where the OS knows none (always for TIME_WAIT).</summary>
    public int? OwningProcess { get; set; }
    /// <summary>Owning process name, when the process is known.</summary>
    public string? ProcessName { get; set; }
    /// <summary>Time left in TIME_WAIT where the OS tells it (Linux idiag_expires).</summary>
    public TimeSpan? TimeWaitRemaining { get; init; }
    /// <summary>Owner uid (Linux).</summary>
    public uint? Uid { get; init; }
    /// <summary>Socket inode (Linux); 0 for TIME_WAIT.</summary>
    public ulong? Inode { get; init; }
    /// <summary>tcp_info figures, with -IncludeInfo (not for TIME_WAIT, which keeps none).</summary>
    public TcpConnectionInfo? Info { get; init; }

    /// <summary>"local:port -> remote:port state".</summary>
    public override string ToString() =>
        $"{Endpoint(LocalAddress, LocalPort)} -> {Endpoint(RemoteAddress, RemotePort)} {State}";

    internal static string Endpoint(string address, int port) =>
        address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port}" : $"{address}:{port}";
}

/// <summary>Kernel tcp_info figures for one socket (Linux INET_DIAG_INFO / TCP_INFO).</summary>
public sealed class TcpConnectionInfo
{
    /// <summary>Smoothed round-trip time.</summary>
    public TimeSpan Rtt { get; init; }
    /// <summary>Round-trip time variance.</summary>
    public TimeSpan RttVar { get; init; }
    /// <summary>Retransmission timeout.</summary>
    public TimeSpan Rto { get; init; }
    /// <summary>Congestion window, in segments.</summary>
    public uint SndCwnd { get; init; }
    /// <summary>Retransmits of the current unacknowledged segment (tcpi_retransmits).</summary>
    public int Retransmits { get; init; }
    /// <summary>Segments retransmitted over the connection's life (tcpi_total_retrans).</summary>
    public uint TotalRetrans { get; init; }
    /// <summary>Bytes acknowledged by the peer.</summary>
    public ulong BytesAcked { get; init; }
    /// <summary>Bytes received.</summary>
    public ulong BytesReceived { get; init; }
    /// <summary>Segments sent.</summary>
    public uint SegsOut { get; init; }
    /// <summary>Segments received.</summary>
    public uint SegsIn { get; init; }
    /// <summary>Time since data was last sent.</summary>
    public TimeSpan LastDataSent { get; init; }
    /// <summary>Time since data was last received.</summary>
    public TimeSpan LastDataReceived { get; init; }

    /// <summary>Short summary for tables.</summary>
    public override string ToString() => $"rtt={Rtt.TotalMilliseconds:0.###}ms cwnd={SndCwnd} retrans={TotalRetrans}";
}
