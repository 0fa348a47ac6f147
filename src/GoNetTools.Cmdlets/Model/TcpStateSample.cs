using System;
using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>
/// One Watch-TcpState tick: how many sockets matching the filters are in each state, and how fast the
/// TIME_WAIT population grows. Linux TIME_WAIT lasts 60 s (fixed), so a steady growth of g/s settles at
/// about 60·g sockets per destination.
/// </summary>
public sealed class TcpStateSample
{
    /// <summary>When the socket table was read.</summary>
    public DateTime Timestamp { get; init; }
    /// <summary>Time since the watch started.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Network namespace on Linux, "host" elsewhere.</summary>
    public string Scope { get; init; } = "";
    /// <summary>Sockets matching the filters, all states.</summary>
    public int Total { get; init; }
    /// <summary>ESTABLISHED sockets.</summary>
    public int Established { get; init; }
    /// <summary>SYN_SENT sockets (connects in progress).</summary>
    public int SynSent { get; init; }
    /// <summary>FIN_WAIT_1 + FIN_WAIT_2 sockets (we closed, the peer has not yet).</summary>
    public int FinWait { get; init; }
    /// <summary>CLOSE_WAIT sockets (the peer closed, the local application has not).</summary>
    public int CloseWait { get; init; }
    /// <summary>TIME_WAIT sockets: the population now.</summary>
    public int TimeWait { get; init; }
    /// <summary>LISTEN sockets.</summary>
    public int Listen { get; init; }
    /// <summary>Sockets in any other state (LAST_ACK, CLOSING, SYN_RECV…).</summary>
    public int Other { get; init; }
    /// <summary>Change of the TIME_WAIT population since the previous tick, per second (null on the first tick).</summary>
    public double? TimeWaitGrowthPerSecond { get; init; }
    /// <summary>Change of ESTABLISHED since the previous tick, per second (null on the first tick).</summary>
    public double? EstablishedGrowthPerSecond { get; init; }
    /// <summary>Every state seen, by name, with its count.</summary>
    public OrderedDictionary ByState { get; init; } = new();
}
