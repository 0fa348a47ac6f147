namespace GoNetTools.Metrics.Inputs;

/// <summary>Get-TcpStatistic (totals since boot): TCP and TcpExt counters as counters, the two populations as gauges.</summary>
internal sealed class TcpStatisticMetrics : IMetricInput
{
    public bool TryAdd(object input, MetricSet m)
    {
        if (input is not TcpStatistic s)
        {
            return false;
        }
        if (s.Interval is not null)
        {
            m.Warnings.Add("Get-TcpStatistic -Interval gives deltas, not counters; it was left out. Pipe Get-TcpStatistic without -Interval.");
            return true;
        }
        var scope = ("scope", s.Scope);
        void Counter(string name, string help, long? value)
        {
            if (value is { } v)
            {
                m.Counter("gonettools_tcp_" + name, help, v, scope);
            }
        }
        Counter("active_opens", "Connections opened with connect() (Tcp ActiveOpens).", s.ActiveOpens);
        Counter("passive_opens", "Connections accepted (Tcp PassiveOpens).", s.PassiveOpens);
        Counter("attempt_fails", "Failed connection attempts (Tcp AttemptFails).", s.AttemptFails);
        Counter("established_resets", "Resets from ESTABLISHED or CLOSE_WAIT (Tcp EstabResets).", s.EstabResets);
        Counter("segments_received", "Segments received (Tcp InSegs).", s.InSegs);
        Counter("segments_sent", "Segments sent (Tcp OutSegs).", s.OutSegs);
        Counter("segments_retransmitted", "Segments retransmitted (Tcp RetransSegs).", s.RetransSegs);
        Counter("resets_sent", "Segments sent with RST (Tcp OutRsts).", s.OutRsts);
        Counter("time_wait_entries", "TIME_WAIT entries created (TcpExt TW): a rate of churn, not the population.", s.TimeWaitEntries);
        Counter("time_wait_recycled", "TIME_WAIT ports reused through tcp_tw_reuse (TcpExt TWRecycled).", s.TimeWaitRecycled);
        Counter("time_wait_overflow", "TIME_WAIT sockets refused at tcp_max_tw_buckets (TcpExt TCPTimeWaitOverflow).", s.TimeWaitOverflow);
        Counter("listen_overflows", "Accept queue overflows (TcpExt ListenOverflows).", s.ListenOverflows);
        Counter("syn_retransmits", "SYNs retransmitted (TcpExt TCPSynRetrans).", s.SynRetrans);
        m.Gauge("gonettools_tcp_established_sockets", "Connections in ESTABLISHED or CLOSE_WAIT now (Tcp CurrEstab).", s.CurrEstab, scope);
        if (s.TimeWaitCount is { } tw)
        {
            m.Gauge("gonettools_tcp_sockstat_time_wait_sockets", "TIME_WAIT population now (/proc/net/sockstat tw).", tw, scope);
        }
        return true;
    }
}
