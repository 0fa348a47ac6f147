using System;
using System.Collections.Generic;
using System.Collections.Specialized;

namespace GoNetTools.Platform;

/// <summary>What a TCP-state back-end is asked for. States go to the kernel where it can filter (Linux).</summary>
internal sealed class TcpStateQuery
{
    /// <summary>States wanted; null or empty means all.</summary>
    public IReadOnlyCollection<TcpState>? States { get; init; }
    /// <summary>Address family wanted.</summary>
    public IPFamily Family { get; init; } = IPFamily.Any;
    /// <summary>Read tcp_info for each socket (Linux INET_DIAG_INFO).</summary>
    public bool IncludeInfo { get; init; }
    /// <summary>Resolve owning processes (costly: a walk of every process's open files).</summary>
    public bool ResolveOwners { get; init; } = true;

    public bool Wants(TcpState state) => States is null || States.Count == 0 || Contains(States, state);

    private static bool Contains(IReadOnlyCollection<TcpState> states, TcpState state)
    {
        foreach (var s in states)
        {
            if (s == state)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The OS's TCP socket table and counters. One implementation per OS, chosen in <see cref="PlatformServices"/>.</summary>
internal interface ITcpStateSource
{
    /// <summary>Which stack this reads: the network namespace on Linux, "host" elsewhere.</summary>
    string Scope { get; }

    /// <summary>Streams sockets; malformed source records are skipped and reported through <paramref name="warn"/>.</summary>
    IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn);

    /// <summary>Reads every TCP counter the stack gives now, by the OS's own names.</summary>
    OrderedDictionary ReadCounters(Action<string> warn);

    /// <summary>Types the counters (absolute, or deltas with their per-second rates).</summary>
    TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates);
}
