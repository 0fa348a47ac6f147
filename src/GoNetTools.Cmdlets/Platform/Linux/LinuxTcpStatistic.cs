using System;
using System.Collections.Specialized;

namespace GoNetTools.Platform.Linux;

/// <summary>Maps nstat-named Linux counters to <see cref="TcpCounters"/>, which builds the TcpStatistic.</summary>
internal static class LinuxTcpStatistic
{
    public static TcpStatistic FromRaw(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval = null, OrderedDictionary? rates = null) =>
        Map(raw).ToStatistic(raw, timestamp, scope, interval, rates);

    /// <summary>The nstat names of each field (RetransmitRate divides by TcpExtTCPOrigDataSent, else TcpOutSegs).</summary>
    public static TcpCounters Map(OrderedDictionary raw)
    {
        long? Get(string name) => TcpCounters.Get(raw, name);
        return new TcpCounters
        {
            ActiveOpens = Get("TcpActiveOpens"),
            PassiveOpens = Get("TcpPassiveOpens"),
            AttemptFails = Get("TcpAttemptFails"),
            EstabResets = Get("TcpEstabResets"),
            CurrEstab = Get("TcpCurrEstab"),
            InSegs = Get("TcpInSegs"),
            OutSegs = Get("TcpOutSegs"),
            RetransSegs = Get("TcpRetransSegs"),
            InErrs = Get("TcpInErrs"),
            OutRsts = Get("TcpOutRsts"),
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
