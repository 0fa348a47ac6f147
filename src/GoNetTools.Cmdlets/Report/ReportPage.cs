using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Report;

/// <summary>What the report drew, for -PassThru and for tests that compare it with the page's DOM.</summary>
internal sealed record ReportCounts(int Sources, int Connections, int ConnectionBars, int TimelineBuckets, int Marks, int TimeWaitSeries,
    int TimeWaitPoints, int Findings, int TimeWaitCounts);

/// <summary>
/// Lays the collected model out as the data the page's script draws: per source a timeline (bars or buckets), marks,
/// latency bins; the TIME_WAIT series (measured ones as given, derived ones from closes). Plain arrays keep the
/// embedded JSON small; the arrays' order is documented in Assets/report.js.
/// </summary>
internal static class ReportPage
{
    /// <summary>Latency bin edges in milliseconds: 1-2-5 steps from 10 µs to 100 s.</summary>
    private static readonly double[] Edges = Enumerable.Range(-2, 8).SelectMany(e => new[] { 1.0, 2.0, 5.0 }.Select(m => m * Math.Pow(10, e))).ToArray();

    public static (Dictionary<string, object?> Data, ReportCounts Counts) Build(ReportCollector collector, int maxBars)
    {
        Inputs.TcpFlowInput.PlaceFrames(collector);
        var series = new List<Dictionary<string, object?>>();
        var counts = new List<object[]>();
        int bars = 0, buckets = 0, marks = 0, connections = 0;
        var sources = new List<object>();
        var number = 0;
        foreach (var source in collector.Sources)
        {
            number++;
            connections += source.Connections.Count;
            marks += source.Marks.Count;
            var (page, drawnBars, drawnBuckets) = Source(source, $"s{number}", maxBars);
            bars += drawnBars;
            buckets += drawnBuckets;
            sources.Add(page);
            if (source.TimeWaitSeconds is { } hold && source.Connections.Count > 0)
            {
                foreach (var (side, closer) in new[] { ("client", ReportCloser.Client), ("proxy", ReportCloser.Server) })
                {
                    var closes = source.Connections.Where(c => c.Closer == closer).Select(c => c.End).ToList();
                    if (closes.Count > 0)
                    {
                        var side2 = side == "client" ? "client side (we closed first)" : "proxy side (it closed first)";
                        var derived = Series($"{source.Kind} {source.Name}: {side2}, derived", side, false, TimelineLayout.Derived(closes, hold));
                        derived["key"] = $"s{number}-{side}";
                        series.Add(derived);
                    }
                }
            }
            if (source.Connections.Count > 0)
            {
                // Measured counts need the run's span to sit on the time axis; without records the figures table has them.
                var (from, to) = (TimelineLayout.Ms(source.Connections.Min(c => c.Start)), TimelineLayout.Ms(source.Connections.Max(c => c.End)));
                counts.AddRange(source.TimeWaitCounts.Select(t => new object[]
                {
                    $"s{number}-{t.Side}", $"{source.Kind} {source.Name}: {t.Side} side, measured {t.Point}", t.Point, t.Value, from, to,
                }));
            }
        }
        foreach (var s in collector.TimeWait)
        {
            series.Insert(0, Series(s.Name, s.Side, s.Measured, s.Points));
        }
        var data = new Dictionary<string, object?>
        {
            ["closers"] = Enum.GetNames<ReportCloser>(),
            ["markKinds"] = new[] { "GOAWAY", "RST_STREAM" },
            ["timewait"] = series,
            ["timewaitCounts"] = counts,
            ["sources"] = sources,
        };
        var points = collector.TimeWait.Sum(s => s.Points.Count);
        return (data, new ReportCounts(collector.Sources.Count, connections, bars, buckets, marks, collector.TimeWait.Count, points, collector.Findings.Count, counts.Count));
    }

    private static Dictionary<string, object?> Series(string name, string side, bool measured, IReadOnlyList<(DateTime At, int Value)> points) => new()
    {
        ["name"] = name,
        ["side"] = side,
        ["measured"] = measured,
        ["points"] = points.Select(p => new object[] { TimelineLayout.Ms(p.At), p.Value }).ToList(),
    };

    private static (Dictionary<string, object?> Page, int Bars, int Buckets) Source(ReportSource source, string id, int maxBars)
    {
        var page = new Dictionary<string, object?> { ["id"] = id, ["kind"] = source.Kind, ["name"] = source.Name, ["mode"] = "none" };
        int bars = 0, buckets = 0;
        if (source.Connections.Count > 0)
        {
            var start = source.Connections.Min(c => c.Start);
            var end = source.Connections.Max(c => c.End);
            page["span"] = new[] { TimelineLayout.Ms(start), TimelineLayout.Ms(end) };
            if (source.Connections.Count <= maxBars)
            {
                var (list, lanes, laneOf) = TimelineLayout.Bars(source.Connections);
                page["mode"] = "bars";
                page["lanes"] = lanes;
                page["bars"] = list;
                page["marks"] = source.Marks.Select(m => new object[]
                {
                    m.ConnectionId, TimelineLayout.Ms(m.At), laneOf.GetValueOrDefault(m.ConnectionId), (int)m.Kind, m.AtKnown, m.Detail,
                }).ToList();
                bars = list.Count;
            }
            else
            {
                var (gridStart, step) = TimelineLayout.Grid(start, end);
                var cells = TimelineLayout.ClosedPerBucket(source.Connections, gridStart, step);
                page["mode"] = "buckets";
                page["step"] = step;
                page["buckets"] = cells;
                page["markBuckets"] = TimelineLayout.MarksPerBucket(source.Marks, gridStart, step);
                buckets = cells.Count;
            }
        }
        page["latency"] = Latency(source);
        page["percentiles"] = source.Percentiles.Select(p => new object[] { p.Key, p.Value.TotalMilliseconds }).ToList();
        return (page, bars, buckets);
    }

    /// <summary>[series, loMs, hiMs, count] for each non-empty bin of connect and TLS handshake times.</summary>
    private static List<object[]> Latency(ReportSource source)
    {
        var connectName = source.Kind == "Capture" ? "TCP handshake RTT" : "TCP connect";
        var rows = new List<object[]>();
        foreach (var (name, values) in new[]
        {
            (connectName, source.Connections.Select(c => c.ConnectTime)),
            ("TLS handshake", source.Connections.Select(c => c.TlsHandshake)),
        })
        {
            foreach (var bin in values.Where(v => v is not null).Select(v => Bin(v!.Value.TotalMilliseconds)).GroupBy(b => b).OrderBy(g => g.Key))
            {
                rows.Add(new object[] { name, bin.Key == 0 ? Edges[0] / 10 : Edges[bin.Key - 1], Edges[Math.Min(bin.Key, Edges.Length - 1)], bin.Count() });
            }
        }
        return rows;
    }

    private static int Bin(double ms)
    {
        var i = Array.FindIndex(Edges, e => ms < e);
        return i < 0 ? Edges.Length - 1 : i;
    }
}
