using System;
using System.Collections.Specialized;
using GoNetTools.Core;

namespace GoNetTools.Platform.Linux;

/// <summary>Builds a TcpStatistic from nstat-named Linux counters.</summary>
internal static class LinuxTcpStatistic
{
    public static TcpStatistic FromRaw(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval = null, OrderedDictionary? rates = null)
    {
        long? Get(string name) => raw[name] is long value ? value : null;
        long retrans = Get("TcpRetransSegs") ?? 0;
        long? orig = Get("TcpExtTCPOrigDataSent");
        return new TcpStatistic
        {
            Timestamp = timestamp,
            Interval = interval,
            Scope = scope,
            ActiveOpens = Get("TcpActiveOpens") ?? 0,
            PassiveOpens = Get("TcpPassiveOpens") ?? 0,
            AttemptFails = Get("TcpAttemptFails") ?? 0,
            EstabResets = Get("TcpEstabResets") ?? 0,
            CurrEstab = Get("TcpCurrEstab") ?? 0,
            InSegs = Get("TcpInSegs") ?? 0,
            OutSegs = Get("TcpOutSegs") ?? 0,
            RetransSegs = retrans,
            InErrs = Get("TcpInErrs") ?? 0,
            OutRsts = Get("TcpOutRsts") ?? 0,
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
            OrigDataSent = orig,
            RetransmitRate = TcpStatisticMath.Ratio(retrans, orig ?? Get("TcpOutSegs")),
            Raw = raw,
            Rates = rates,
        };
    }
}
