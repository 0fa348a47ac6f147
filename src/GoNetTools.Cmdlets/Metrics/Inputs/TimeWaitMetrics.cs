using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Metrics.Inputs;

/// <summary>
/// Get-TcpTimeWait (or Get-TcpConnection) rows: TIME_WAIT sockets by remote port. The label is capped to the
/// <see cref="MaxPorts"/> busiest ports; the rest add up under remote_port="other", so a port scan cannot blow up
/// the series count.
/// </summary>
internal sealed class TimeWaitMetrics : IMetricInput
{
    public const int MaxPorts = 20;

    private sealed class Tally : Dictionary<int, int>
    {
        public bool Seen { get; set; }
    }

    public bool TryAdd(object input, MetricSet m)
    {
        if (input is not TcpConnection c)
        {
            return false;
        }
        var tally = m.State<Tally>();
        tally.Seen = true;
        if (c.State == TcpState.TimeWait)
        {
            tally[c.RemotePort] = tally.GetValueOrDefault(c.RemotePort) + 1;
        }
        return true;
    }

    public void Finish(MetricSet m)
    {
        var tally = m.State<Tally>();
        if (!tally.Seen)
        {
            return;
        }
        const string Name = "gonettools_tcp_time_wait_sockets";
        const string Help = "TIME_WAIT sockets by remote port (the 20 busiest ports; the rest as \"other\").";
        var ranked = tally.OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToList();
        foreach (var (port, count) in ranked.Take(MaxPorts))
        {
            m.Gauge(Name, Help, count, ("remote_port", port.ToString(CultureInfo.InvariantCulture)));
        }
        m.Gauge(Name, Help, ranked.Skip(MaxPorts).Sum(p => p.Value), ("remote_port", "other"));
    }
}
