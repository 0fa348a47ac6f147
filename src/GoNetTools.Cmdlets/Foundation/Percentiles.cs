using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.Foundation;

/// <summary>
/// The module's two summaries of a list of measurements, in one place: the nearest-rank percentile that latency and
/// lifetime figures use everywhere (p50/p95/p99 of requests, probes, connections), and the interpolated median of a
/// few timed runs (the middle run, or the mean of the two middle ones, as hyperfine reports it).
/// </summary>
internal static class Percentiles
{
    /// <summary>Nearest-rank percentile (p in 0..100) of an ascending list; the default value for an empty list.</summary>
    public static T NearestRank<T>(IReadOnlyList<T> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return default!;
        }
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The median of <paramref name="values"/> in any order; the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The median of <paramref name="values"/>, as <see cref="Median(IReadOnlyList{double})"/>.</summary>
    public static TimeSpan Median(IReadOnlyList<TimeSpan> values) => TimeSpan.FromTicks((long)Median(values.Select(v => (double)v.Ticks).ToList()));
}
