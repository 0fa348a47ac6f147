using System.Collections.Generic;

namespace GoNetTools.Metrics.Inputs;

/// <summary>
/// Turns one kind of pipeline object into metric samples. One class per input type; a new output type (the
/// workstation results) is one more adapter in <see cref="MetricInputs.All"/>.
/// </summary>
internal interface IMetricInput
{
    /// <summary>Takes <paramref name="input"/> when it is this adapter's type.</summary>
    bool TryAdd(object input, MetricSet metrics);

    /// <summary>Writes what needs all the input first (a tally capped to its largest entries).</summary>
    void Finish(MetricSet metrics)
    {
    }
}

/// <summary>The adapters, asked in order.</summary>
internal static class MetricInputs
{
    public static readonly IReadOnlyList<IMetricInput> All = new IMetricInput[]
    {
        new StabilityMetrics(),
        new ComparisonMetrics(),
        new TcpStateSampleMetrics(),
        new TimeWaitMetrics(),
        new TcpStatisticMetrics(),
        new GoModDownloadMetrics(),
    };

    /// <summary>Offers <paramref name="input"/> to each adapter; false when none took it.</summary>
    public static bool Add(object input, MetricSet metrics)
    {
        foreach (var adapter in All)
        {
            if (adapter.TryAdd(input, metrics))
            {
                return true;
            }
        }
        return false;
    }

    public static void Finish(MetricSet metrics)
    {
        foreach (var adapter in All)
        {
            adapter.Finish(metrics);
        }
    }
}
