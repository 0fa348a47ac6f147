using System;
using System.Collections.Specialized;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// Types macOS counters (names from <see cref="MacNetstatStatsParser"/>, plus two populations counted from the
/// socket table). The BSD counters behind each netstat line (xnu tcp_var.h) are named in the comments; where
/// macOS has nothing that means the same as the Linux field, the field stays null (or 0 for the non-nullable
/// MIB-II fields, as said below).
/// </summary>
internal static class MacTcpStatistic
{
    /// <summary>Raw name of the TIME_WAIT population, counted from <c>netstat -an</c> rows (macOS has no counter for it).</summary>
    public const string TimeWaitCountName = "TimeWaitCount";

    /// <summary>Raw name of the ESTABLISHED + CLOSE_WAIT population (RFC 1213 tcpCurrEstab), counted from the rows too.</summary>
    public const string CurrEstabName = "TcpCurrEstab";

    public static TcpStatistic FromRaw(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval, OrderedDictionary? rates)
    {
        long? Get(string name) => TcpCounters.Get(raw, name);
        return new TcpCounters
        {
            ActiveOpens = Get("ConnectionRequest"),              // tcps_connattempt: SYNs sent by connect()
            PassiveOpens = Get("ConnectionAccept"),              // tcps_accepts
            // tcps_conndrops: connections dropped in SYN_SENT/SYN_RCVD, which is what Linux's AttemptFails counts;
            // "bad connection attempts" (tcps_badsyn) are malformed SYNs and stay in Raw only.
            AttemptFails = Get("EmbryonicConnectionDropped"),
            // tcps_drops: established connections dropped. BSD has no RST-only count, so this also holds drops
            // by retransmit or keepalive timeout: an upper bound of Linux's EstabResets.
            EstabResets = Get("ConnectionClosed_Drop"),
            CurrEstab = Get(CurrEstabName),
            InSegs = Get("PacketReceived"),                      // tcps_rcvtotal
            OutSegs = Get("PacketSent"),                         // tcps_sndtotal
            RetransSegs = Get("PacketSent_DataPacketRetransmitted"), // tcps_sndrexmitpack
            InErrs = Sum(Get("PacketReceived_DiscardedForBadChecksum"), // tcps_rcvbadsum
                Get("PacketReceived_DiscardedForBadHeaderOffsetField"),  // tcps_rcvbadoff
                Get("PacketReceived_DiscardedBecausePacketTooShort")),   // tcps_rcvshort
            OutRsts = null, // macOS counts RSTs sent only inside "control packets" (tcps_sndctrl, with SYN and FIN): 0
            TimeWaitCount = Get(TimeWaitCountName),
            ListenOverflows = Get("ListenQueueOverflow"),        // tcps_listendrop: accept queue full
            Timeouts = Get("RetransmitTimeout"),                 // tcps_rexmttimeo: RTO firings, as TCPTimeouts
            OrigDataSent = Get("PacketSent_DataPacket"),         // tcps_sndpack: data segments, retransmits excluded
        }.ToStatistic(raw, timestamp, scope, interval, rates);
    }

    private static long? Sum(params long?[] values)
    {
        long? total = null;
        foreach (var value in values)
        {
            if (value is long v)
            {
                total = (total ?? 0) + v;
            }
        }
        return total;
    }
}
