using System;
using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>
/// TCP counters for the whole stack (Linux: /proc/net/snmp Tcp, /proc/net/netstat TcpExt, /proc/net/sockstat;
/// Windows: GetTcpStatisticsEx2; macOS: netstat -s). With an interval, counters are deltas and Rates holds
/// per-second values (nstat's model); gauges (CurrEstab, TimeWaitCount) are the value at the end.
/// </summary>
public sealed class TcpStatistic
{
    /// <summary>When the (last) reading was taken.</summary>
    public DateTime Timestamp { get; init; }
    /// <summary>Length of the interval for deltas; null for absolute counters.</summary>
    public TimeSpan? Interval { get; init; }
    /// <summary>Network namespace on Linux (inode and name), the host elsewhere.</summary>
    public string Scope { get; init; } = "";
    /// <summary>Connections opened actively (connect).</summary>
    public long ActiveOpens { get; init; }
    /// <summary>Connections accepted.</summary>
    public long PassiveOpens { get; init; }
    /// <summary>Failed connection attempts.</summary>
    public long AttemptFails { get; init; }
    /// <summary>Resets from ESTABLISHED or CLOSE_WAIT.</summary>
    public long EstabResets { get; init; }
    /// <summary>Connections in ESTABLISHED or CLOSE_WAIT now (a gauge).</summary>
    public long CurrEstab { get; init; }
    /// <summary>Segments received.</summary>
    public long InSegs { get; init; }
    /// <summary>Segments sent.</summary>
    public long OutSegs { get; init; }
    /// <summary>Segments retransmitted.</summary>
    public long RetransSegs { get; init; }
    /// <summary>Segments received in error.</summary>
    public long InErrs { get; init; }
    /// <summary>Segments sent with RST.</summary>
    public long OutRsts { get; init; }
    /// <summary>TIME_WAIT sockets now: the population (Linux /proc/net/sockstat "tw"), a gauge.</summary>
    public long? TimeWaitCount { get; init; }
    /// <summary>TcpExt TW: TIME_WAIT entries created (a count of events, not the population).</summary>
    public long? TimeWaitEntries { get; init; }
    /// <summary>TcpExt TWRecycled: TIME_WAIT ports reused by tcp_tw_reuse.</summary>
    public long? TimeWaitRecycled { get; init; }
    /// <summary>TcpExt TWKilled.</summary>
    public long? TimeWaitKilled { get; init; }
    /// <summary>TcpExt TCPTimeWaitOverflow: TIME_WAIT buckets refused at tcp_max_tw_buckets.</summary>
    public long? TimeWaitOverflow { get; init; }
    /// <summary>TcpExt PruneCalled.</summary>
    public long? PruneCalled { get; init; }
    /// <summary>TcpExt RcvPruned.</summary>
    public long? RcvPruned { get; init; }
    /// <summary>TcpExt ListenOverflows.</summary>
    public long? ListenOverflows { get; init; }
    /// <summary>TcpExt ListenDrops.</summary>
    public long? ListenDrops { get; init; }
    /// <summary>TcpExt TCPTimeouts.</summary>
    public long? Timeouts { get; init; }
    /// <summary>TcpExt TCPSynRetrans.</summary>
    public long? SynRetrans { get; init; }
    /// <summary>TcpExt TCPOrigDataSent: segments with new data (the base of RetransmitRate).</summary>
    public long? OrigDataSent { get; init; }
    /// <summary>RetransSegs ÷ OrigDataSent (÷ OutSegs where the OS has no OrigDataSent); null when nothing was sent.</summary>
    public double? RetransmitRate { get; init; }
    /// <summary>Every counter the OS gives, by its own name (Tcp*, TcpExt*, sockstat*).</summary>
    public OrderedDictionary Raw { get; init; } = new();
    /// <summary>With -Interval: every counter's per-second rate over the interval.</summary>
    public OrderedDictionary? Rates { get; init; }
}
