using System;
using System.Collections.Specialized;

namespace GoNetTools.Platform.Linux;

/// <summary>Maps nstat-named Linux counters to <see cref="TcpCounters"/>, which builds the TcpStatistic.</summary>
internal static class LinuxTcpStatistic
{
    public static TcpStatistic FromRaw(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval = null, OrderedDictionary? rates = null) =>
        Map(raw).ToStatistic(raw, timestamp, scope, interval, rates);

    /// <summary>The nstat names of each field: the MIB-II group, then sockstat and TcpExt (RetransmitRate divides by TcpExtTCPOrigDataSent, else TcpOutSegs).</summary>
    public static TcpCounters Map(OrderedDictionary raw)
    {
        long? Get(string name) => TcpCounters.Get(raw, name);
        return TcpCounters.FromMib2Names(raw) with
        {
            TimeWaitCount = Get("SockstatTcpTw"),
            TimeWaitEntries = Get("TcpExtTW"),
            TimeWaitRecycled = Get("TcpExtTWRecycled"),
            TimeWaitKilled = Get("TcpExtTWKilled"),
            TimeWaitOverflow = Get("TcpExtTCPTimeWaitOverflow"),
            PruneCalled = Get("TcpExtPruneCalled"),
            RcvPruned = Get("TcpExtRcvPruned"),
            ListenOverflows = Get("TcpExtListenOverflows"),
            ListenDrops = Get("TcpExtListenDrops"),
            Timeouts = Get("TcpExtTCPTimeouts"),
            SynRetrans = Get("TcpExtTCPSynRetrans"),
            OrigDataSent = Get("TcpExtTCPOrigDataSent"),
        };
    }
}
