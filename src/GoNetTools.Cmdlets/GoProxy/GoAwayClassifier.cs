using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>
/// Says what each connection's GOAWAY meant, from that connection's own frames, then across connections:
/// an error code other than NO_ERROR is an Error; debug data naming a timeout, or no stream in flight for a second
/// before it, an IdleTimeout; a NO_ERROR GOAWAY after the same number of requests (±1, a stream in flight when it
/// came) on two or more connections a Budget (nginx keepalive_requests: 1000 → LastStreamID 1999; a server may
/// close on a budget with the two-step GOAWAY too); any other NO_ERROR GOAWAY a graceful Shutdown — LastStreamID
/// 2^31−1 ("stop opening streams") or a second GOAWAY (the two-step of RFC 9113 §6.8), or a single one whose count
/// does not repeat (a reload, Go 1.19's Server.Shutdown, which sends one GOAWAY). A budget shows only by repeating.
/// </summary>
internal static class GoAwayClassifier
{
    /// <summary>No stream in flight for this long before a GOAWAY: the server closed an idle connection.</summary>
    public static readonly TimeSpan IdleBefore = TimeSpan.FromSeconds(1);

    public static GoProxyGoAway[] Classify(IEnumerable<TrackedConnection> connections, long runStartTicks)
    {
        var tapped = connections
            .Where(c => c.Http2 is { } h2 && h2.GoAways.Count > 0)
            .Select(c => new TappedConnection(c.Record.Id, c.ConnectedTicks, c.Http2!.GoAways, c.Http2.StreamsOpened))
            .ToList();
        var events = Classify(tapped, runStartTicks);
        var byId = events.ToDictionary(e => e.ConnectionId);
        foreach (var connection in connections)
        {
            if (byId.TryGetValue(connection.Record.Id, out var e))
            {
                lock (connection.Record)
                {
                    connection.Record.GoAwayKind = e.Kind.ToString();
                    connection.Record.RequestsAtGoAway = e.RequestsCarried;
                    connection.Record.GoAwayDebugData = e.DebugData;
                    connection.Record.GoAwayAt = e.ConnectionAge;
                }
            }
        }
        return events;
    }

    /// <summary>One connection's GOAWAY frames and the streams we opened on it, as the frame tap saw them.</summary>
    internal readonly record struct TappedConnection(int Id, long ConnectedTicks, IReadOnlyList<GoAwayFrame> Frames, int StreamsOpened);

    /// <summary>The events of connections that received at least one GOAWAY, each judged alone, then across connections.</summary>
    internal static GoProxyGoAway[] Classify(IReadOnlyList<TappedConnection> connections, long runStartTicks)
    {
        var candidates = new List<(GoProxyGoAway Event, GoAwayKind? Kind)>();
        foreach (var connection in connections)
        {
            var frames = connection.Frames;
            var first = frames[0];
            var last = frames[^1];
            int opened = connection.StreamsOpened;
            int carried = Http2ConnectionState.Carried(last.LastStreamId, opened);
            var e = new GoProxyGoAway
            {
                ConnectionId = connection.Id,
                ErrorCode = frames.FirstOrDefault(f => f.ErrorCode != "NO_ERROR").ErrorCode ?? last.ErrorCode,
                LastStreamId = last.LastStreamId,
                FirstLastStreamId = first.LastStreamId,
                Frames = frames.Count,
                RequestsCarried = carried,
                RequestsAtDecision = TwoStep(frames) ? Math.Max(0, first.StreamsOpened - first.StreamsInFlight) : carried,
                StreamsOpened = opened,
                StreamsInFlight = first.StreamsInFlight,
                DebugData = string.Join(" | ", frames.Select(f => f.DebugData).Where(d => d.Length > 0).Distinct()),
                At = Stopwatch.GetElapsedTime(runStartTicks, first.AtTicks),
                ConnectionAge = Stopwatch.GetElapsedTime(connection.ConnectedTicks, first.AtTicks),
            };
            candidates.Add((e, Kind(frames)));
        }
        // A budget repeats: the same request count at the server's decision (±1) on two or more connections.
        var counts = candidates.Where(c => c.Kind is null).Select(c => c.Event.RequestsAtDecision).ToList();
        bool Repeats(int n) => counts.Count(m => Math.Abs(m - n) <= 1) >= 2;
        return candidates.Select(c => With(c.Event, c.Kind ?? (Repeats(c.Event.RequestsAtDecision) ? GoAwayKind.Budget : GoAwayKind.Shutdown))).ToArray();
    }

    /// <summary>What one connection's frames alone say; null when only the cross-connection count can tell (budget or shutdown).</summary>
    internal static GoAwayKind? Kind(IReadOnlyList<GoAwayFrame> frames)
    {
        var first = frames[0];
        if (frames.Any(f => f.ErrorCode != "NO_ERROR"))
        {
            return GoAwayKind.Error;
        }
        if (!TwoStep(frames) && (first.DebugData.Contains("idle", StringComparison.OrdinalIgnoreCase) || first.DebugData.Contains("timeout", StringComparison.OrdinalIgnoreCase)
            || (first.StreamsInFlight == 0 && first.IdleFor >= IdleBefore)))
        {
            return GoAwayKind.IdleTimeout;
        }
        return null;
    }

    /// <summary>LastStreamID 2^31−1 first, or a second GOAWAY: the two-step graceful close of RFC 9113 §6.8.</summary>
    private static bool TwoStep(IReadOnlyList<GoAwayFrame> frames) =>
        frames[0].LastStreamId == Http2ConnectionState.MaxStreamId || frames.Count >= 2;

    private static GoProxyGoAway With(GoProxyGoAway e, GoAwayKind kind) => new()
    {
        ConnectionId = e.ConnectionId, Kind = kind, ErrorCode = e.ErrorCode, LastStreamId = e.LastStreamId, FirstLastStreamId = e.FirstLastStreamId,
        Frames = e.Frames, RequestsCarried = e.RequestsCarried, RequestsAtDecision = e.RequestsAtDecision, StreamsOpened = e.StreamsOpened, StreamsInFlight = e.StreamsInFlight,
        DebugData = e.DebugData, At = e.At, ConnectionAge = e.ConnectionAge,
    };
}
