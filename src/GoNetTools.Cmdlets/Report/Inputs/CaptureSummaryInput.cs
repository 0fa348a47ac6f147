using System.Linq;

namespace GoNetTools.Report.Inputs;

/// <summary>Measure-PacketCapture: a capture's churn, TLS and HTTP/2 endings in figures.</summary>
internal sealed class CaptureSummaryInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not CaptureSummary c)
        {
            return false;
        }
        var source = collector.SourceFor("capture:" + c.Path, () => new ReportSource("Capture", c.Path) { TimeWaitSeconds = 60 });
        source.AddParameters(("Capture file", c.Path));
        source.AddFigures(("Packets", ReportText.Number(c.Packets)), ("Duration", ReportText.Duration(c.Duration)),
            ("Connections (mid-stream)", $"{c.Connections} ({c.MidStreamConnections})"), ("Connections/s", ReportText.Number(c.ConnectionsPerSecond)),
            ("TLS handshakes", ReportText.Number(c.TlsHandshakes)),
            ("Lifetime p50 / p95 / max", $"{ReportText.Duration(c.LifetimeP50)} / {ReportText.Duration(c.LifetimeP95)} / {ReportText.Duration(c.LifetimeMax)}"),
            ("TIME_WAIT on client / server", $"{c.TimeWaitOnClient} / {c.TimeWaitOnServer}"), ("Resets", ReportText.Number(c.Resets)),
            ("Retransmissions", ReportText.Number(c.Retransmissions)),
            ("GOAWAY", string.Join(", ", c.GoAways.Select(g => g.ToString()))), ("RST_STREAM", string.Join(", ", c.RstStreams.Select(g => g.ToString()))),
            ("Requests per connection", ReportText.Number(c.ConnectionReuse)));
        source.Notes.AddRange(c.Warnings);
        return true;
    }
}
