using System.Collections;
using System.Collections.Generic;

namespace GoNetTools.Metrics.Inputs;

/// <summary>Watch-TcpState: the last sample's sockets by state, and the TIME_WAIT peak over the samples, per scope.</summary>
internal sealed class TcpStateSampleMetrics : IMetricInput
{
    private sealed class Peaks : Dictionary<string, (int Peak, int Samples)>
    {
    }

    public bool TryAdd(object input, MetricSet m)
    {
        if (input is not TcpStateSample s)
        {
            return false;
        }
        var scope = ("scope", s.Scope);
        foreach (DictionaryEntry state in s.ByState)
        {
            m.Gauge("gonettools_watch_sockets", "Sockets matching Watch-TcpState's filters at its last sample, by state.",
                System.Convert.ToDouble(state.Value, System.Globalization.CultureInfo.InvariantCulture), scope, ("state", state.Key.ToString() ?? ""));
        }
        m.Gauge("gonettools_watch_time_wait_sockets", "TIME_WAIT sockets matching Watch-TcpState's filters at its last sample.", s.TimeWait, scope);
        var peaks = m.State<Peaks>();
        var (peak, samples) = peaks.GetValueOrDefault(s.Scope);
        peaks[s.Scope] = (System.Math.Max(peak, s.TimeWait), samples + 1);
        m.Gauge("gonettools_watch_time_wait_peak_sockets", "Largest TIME_WAIT population over the samples written.", peaks[s.Scope].Peak, scope);
        m.Gauge("gonettools_watch_samples", "Watch-TcpState samples the figures were taken from.", peaks[s.Scope].Samples, scope);
        if (s.TimeWaitGrowthPerSecond is { } growth)
        {
            m.Gauge("gonettools_watch_time_wait_growth_per_second", "Change of the TIME_WAIT population per second at the last sample.", growth, scope);
        }
        return true;
    }
}
