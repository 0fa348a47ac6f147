using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation;

/// <summary>
/// Figures over a span of samples: clock statistics over all CPUs and per CPU, counter deltas (throttle events,
/// swap-ins, softnet, NIC, retransmits) and pressure as the share of the span some task was stalled. Pure.
/// </summary>
internal sealed class SampleSummary
{
    private readonly IReadOnlyList<MachineSample> _samples;

    public SampleSummary(IReadOnlyList<MachineSample> samples) => _samples = samples;

    public int Count => _samples.Count;

    public TimeSpan Span => _samples.Count < 2 ? TimeSpan.Zero : _samples[^1].Offset - _samples[0].Offset;

    /// <summary>All clock readings (every CPU of every sample), MHz.</summary>
    public List<double> Clocks() => _samples.Where(s => s.CpuMHz is not null).SelectMany(s => s.CpuMHz!).ToList();

    public double? ClockMin => Clocks() is { Count: > 0 } c ? c.Min() : null;

    public double? ClockMax => Clocks() is { Count: > 0 } c ? c.Max() : null;

    public double? ClockMedian => Clocks() is { Count: > 0 } c ? Foundation.Percentiles.Median(c) : null;

    /// <summary>The mean over samples of each sample's mean clock, MHz.</summary>
    public double? ClockMean => _samples.Select(s => s.MeanMHz).OfType<double>().ToList() is { Count: > 0 } m ? m.Average() : null;

    /// <summary>The lowest of the samples' mean clocks, MHz.</summary>
    public double? ClockMeanMin => _samples.Select(s => s.MeanMHz).OfType<double>().ToList() is { Count: > 0 } m ? m.Min() : null;

    /// <summary>Median clock of each CPU over the samples, MHz.</summary>
    public double[]? ClockPerCpu()
    {
        var withClocks = _samples.Where(s => s.CpuMHz is not null).ToList();
        if (withClocks.Count == 0)
        {
            return null;
        }
        var cpus = withClocks.Min(s => s.CpuMHz!.Length);
        return Enumerable.Range(0, cpus).Select(i => Foundation.Percentiles.Median(withClocks.Select(s => s.CpuMHz![i]).ToList())).ToArray();
    }

    public double? TemperatureMax => _samples.Select(s => s.TemperatureC).OfType<double>().ToList() is { Count: > 0 } t ? t.Max() : null;

    public double? TemperatureFirst => _samples.FirstOrDefault(s => s.TemperatureC is not null)?.TemperatureC;

    /// <summary>Last minus first of a cumulative counter; null when either end lacks it. A counter that went back (reset) counts from zero.</summary>
    public long? Delta(Func<MachineSample, long?> counter)
    {
        var values = _samples.Select(counter).OfType<long>().ToList();
        if (values.Count < 2)
        {
            return values.Count == 1 ? 0 : null;
        }
        long total = 0;
        for (var i = 1; i < values.Count; i++)
        {
            total += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
        }
        return total;
    }

    /// <summary>Percent of the span that a PSI total grew (microseconds stalled ÷ microseconds elapsed).</summary>
    public double? PressurePercent(Func<MachineSample, long?> total)
    {
        var delta = Delta(total);
        var span = Span.TotalMilliseconds * 1000;
        return delta is null || span <= 0 ? null : Math.Round(Math.Min(100, 100.0 * delta.Value / span), 1);
    }
}
