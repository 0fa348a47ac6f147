using System;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace GoNetTools.GoProxy;

/// <summary>Reads the lab's "stats" line (see src/GoNetTools.Lab/Server/LabCounters.cs for the field names).</summary>
internal static class GoProxyLabStatisticsParser
{
    public static GoProxyLabStatistics Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        long N(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        Hashtable Map(string name)
        {
            var table = new Hashtable(StringComparer.Ordinal);
            if (r.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in o.EnumerateObject())
                {
                    table[p.Name] = p.Value.GetInt64();
                }
            }
            return table;
        }
        var time = r.TryGetProperty("time", out var t) && DateTime.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed.ToLocalTime()
            : DateTime.Now;
        return new GoProxyLabStatistics
        {
            Timestamp = time,
            Requests = N("requests"),
            Http1Requests = N("http1Requests"),
            Http2Requests = N("http2Requests"),
            Connections = N("connections"),
            ActiveConnections = N("activeConnections"),
            TlsHandshakes = N("tlsHandshakes"),
            GoAwaysSent = N("goAwayFrames"),
            GoAwaysAfterClientClosed = N("goAwayFramesAfterClientClosed"),
            GoAwayConnections = N("goAwayConnections"),
            GoAwaysRequested = N("goAwaysRequested"),
            LastGoAwayStreamId = r.TryGetProperty("lastGoAwayStreamId", out var l) ? l.GetInt64() : -1,
            RstStreamsSent = N("rstStreamFrames"),
            RstStreamsAfterClientClosed = N("rstStreamFramesAfterClientClosed"),
            ResetsRequested = N("resetsRequested"),
            ConnectionCloses = N("connectionCloses"),
            ConnectionAborts = N("aborts"),
            BytesWritten = N("bytesWritten"),
            Throttled = N("throttled"),
            RequestsDuringRetryAfter = N("requestsDuringRetryAfter"),
            Reloads = N("reloads"),
            RequestsByKind = Map("byKind"),
            ResponsesByStatus = Map("byStatus"),
            GoAwayErrorCodes = Map("goAwayCodes"),
            RstStreamErrorCodes = Map("rstStreamCodes"),
        };
    }
}
