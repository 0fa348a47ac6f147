using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.Report;

/// <summary>
/// Puts a source's connections on its timeline: up to MaxBars one bar per connection, packed into lanes (a lane is
/// free again once its last connection closed, so lanes show how many were open at once); above that, buckets of
/// time with the connections that ended in each, by who closed them, because thousands of sub-pixel bars read as noise.
/// </summary>
internal static class TimelineLayout
{
    /// <summary>Time buckets for an aggregated timeline.</summary>
    public const int Buckets = 120;

    public static long Ms(DateTime utc) => (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>[id, startMs, endMs, lane, closer] per connection, and lanes used.</summary>
    public static (List<object[]> Bars, int Lanes, Dictionary<int, int> LaneOf) Bars(IReadOnlyList<ReportConnection> connections)
    {
        var bars = new List<object[]>(connections.Count);
        var laneEnds = new List<DateTime>();
        var laneOf = new Dictionary<int, int>();
        foreach (var c in connections.OrderBy(c => c.Start).ThenBy(c => c.Id))
        {
            var lane = laneEnds.FindIndex(end => end <= c.Start);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(c.End);
            }
            else
            {
                laneEnds[lane] = c.End;
            }
            laneOf[c.Id] = lane;
            bars.Add(new object[] { c.Id, Ms(c.Start), Math.Max(Ms(c.End), Ms(c.Start) + 1), lane, (int)c.Closer, c.Detail });
        }
        return (bars, laneEnds.Count, laneOf);
    }

    /// <summary>Bucket edges over [start, end]: Buckets equal steps of whole milliseconds.</summary>
    public static (long Start, long Step) Grid(DateTime start, DateTime end)
    {
        var span = Math.Max(1, Ms(end) - Ms(start));
        return (Ms(start), Math.Max(1, (span + Buckets - 1) / Buckets));
    }

    /// <summary>[startMs, endMs, closer, count] for each (bucket, closer) with connections that ended in that bucket.</summary>
    public static List<object[]> ClosedPerBucket(IReadOnlyList<ReportConnection> connections, long start, long step) =>
        connections.GroupBy(c => (Bucket: Index(Ms(c.End), start, step), c.Closer))
            .OrderBy(g => g.Key.Bucket).ThenBy(g => g.Key.Closer)
            .Select(g => new object[] { start + g.Key.Bucket * step, start + (g.Key.Bucket + 1) * step, (int)g.Key.Closer, g.Count() })
            .ToList();

    /// <summary>[startMs, endMs, kind, count, exact] for each (bucket, mark kind).</summary>
    public static List<object[]> MarksPerBucket(IReadOnlyList<ReportMark> marks, long start, long step) =>
        marks.GroupBy(m => (Bucket: Index(Ms(m.At), start, step), m.Kind))
            .OrderBy(g => g.Key.Bucket).ThenBy(g => g.Key.Kind)
            .Select(g => new object[] { start + g.Key.Bucket * step, start + (g.Key.Bucket + 1) * step, (int)g.Key.Kind, g.Count(), g.All(m => m.AtKnown) })
            .ToList();

    private static long Index(long at, long start, long step) => Math.Clamp((at - start) / step, 0, Buckets - 1);

    /// <summary>
    /// The TIME_WAIT population a set of closes implies: each close at t holds a socket from t to t + holdSeconds on the
    /// side that closed first. Sampled at <paramref name="points"/> evenly spaced times from the first close to the last expiry.
    /// </summary>
    public static List<(DateTime At, int Value)> Derived(IEnumerable<DateTime> closes, int holdSeconds, int points = 600)
    {
        var starts = closes.OrderBy(t => t).ToArray();
        var result = new List<(DateTime, int)>();
        if (starts.Length == 0)
        {
            return result;
        }
        var hold = TimeSpan.FromSeconds(holdSeconds);
        var first = starts[0];
        var last = starts[^1] + hold;
        var step = TimeSpan.FromTicks(Math.Max(1, (last - first).Ticks / (points - 1)));
        int opened = 0, expired = 0;
        for (var i = 0; i < points; i++)
        {
            var t = first + step * i;
            while (opened < starts.Length && starts[opened] <= t)
            {
                opened++;
            }
            while (expired < starts.Length && starts[expired] + hold <= t)
            {
                expired++;
            }
            result.Add((t, opened - expired));
        }
        return result;
    }
}
