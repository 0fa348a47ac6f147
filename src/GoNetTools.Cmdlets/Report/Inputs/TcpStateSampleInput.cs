using System;
using System.Collections.Generic;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Watch-TcpState samples: one measured TIME_WAIT series per watch (a new series starts where Elapsed goes back,
/// i.e. another Watch-TcpState run), one point per sample.
/// </summary>
internal sealed class TcpStateSampleInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not TcpStateSample sample)
        {
            return false;
        }
        var current = collector.OpenWatch;
        if (current is null || current.Value.Scope != sample.Scope || sample.Elapsed <= current.Value.Elapsed)
        {
            var points = new List<(DateTime, int)>();
            var number = collector.TimeWait.FindAll(s => s.Measured).Count + 1;
            collector.TimeWait.Add(new ReportSeries($"Watch-TcpState #{number} ({sample.Scope})", "measured", true, points));
            current = (sample.Scope, sample.Elapsed, points);
        }
        var (scope, _, list) = current.Value;
        list.Add((ReportCollector.Utc(sample.Timestamp), sample.TimeWait));
        collector.OpenWatch = (scope, sample.Elapsed, list);
        return true;
    }
}
