using System;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Test-GoProxyStability -PassThru connection records. Records that came inside a result already piped are skipped;
/// records piped on their own get a source of their own.
/// </summary>
internal sealed class ConnectionRecordInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not GoProxyConnection record)
        {
            return false;
        }
        if (collector.FirstTime(record))
        {
            var source = collector.SourceFor("records:" + record.RemoteEndPoint, () => new ReportSource("Connection records", record.RemoteEndPoint) { TimeWaitSeconds = 60 });
            AddTo(source, record);
        }
        return true;
    }

    /// <summary>One record as a timeline bar, with its GOAWAY and RST_STREAM marks.</summary>
    public static void AddTo(ReportSource source, GoProxyConnection c)
    {
        var start = ReportCollector.Utc(c.OpenedAt);
        var end = start + c.Lifetime;
        var closer = c.ClosedBy.ToString() switch
        {
            "Client" => ReportCloser.Client,
            "Server" => ReportCloser.Server,
            "Open" => ReportCloser.Open,
            _ => ReportCloser.Aborted,
        };
        var detail = $"#{c.Id} {c.LocalEndPoint} → {c.RemoteEndPoint} {c.Protocol ?? "no protocol"}, {c.Requests} requests, " +
            $"{ReportText.Duration(c.Lifetime)}, closed by {c.ClosedBy}";
        source.Connections.Add(new ReportConnection(c.Id, start, end, closer, c.Protocol ?? "", c.Requests, detail)
        {
            ConnectTime = c.ConnectTime,
            TlsHandshake = c.TlsHandshake,
        });
        // The first GOAWAY's time is recorded (since the connection opened); RST_STREAMs are only counted, so their
        // mark sits at the connection's end and says so.
        if (c.GoAways > 0)
        {
            var meaning = c.GoAwayKind is null ? "" : $", {c.GoAwayKind} after {c.RequestsAtGoAway} requests";
            var debug = string.IsNullOrEmpty(c.GoAwayDebugData) ? "" : $", debug \"{c.GoAwayDebugData}\"";
            var at = c.GoAwayAt is { } age ? $" at {ReportText.Duration(age)} of the connection" : "";
            source.Marks.Add(new ReportMark(c.Id, c.GoAwayAt is { } a ? start + a : end, ReportMarkKind.GoAway,
                $"#{c.Id}: {c.GoAways} GOAWAY{at}, {c.GoAwayError} last-stream={c.GoAwayLastStreamId}{meaning}{debug}", AtKnown: c.GoAwayAt is not null));
        }
        if (c.RstStreams > 0)
        {
            source.Marks.Add(new ReportMark(c.Id, end, ReportMarkKind.RstStream, $"#{c.Id}: {c.RstStreams} RST_STREAM", AtKnown: false));
        }
    }
}
