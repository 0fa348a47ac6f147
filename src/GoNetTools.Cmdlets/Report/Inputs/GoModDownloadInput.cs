using System.Linq;

namespace GoNetTools.Report.Inputs;

/// <summary>Measure-GoModDownload: what one `go mod download` cost on the wire. It has no per-connection records.</summary>
internal sealed class GoModDownloadInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not GoModDownloadMeasurement m)
        {
            return false;
        }
        var source = collector.NewSource("Measure-GoModDownload", m.Proxy);
        source.Verdict = m.Succeeded ? "Succeeded" : "Failed";
        source.AddParameters(("Proxy", m.Proxy), ("GOSUMDB", m.SumDb), ("Modules", string.Join(", ", m.Modules)),
            ("Adapter", m.Adapter), ("Filter", m.Filter), ("Capture kept", m.CapturePath ?? "no"));
        source.AddFigures(("Exit code", m.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Total time", ReportText.Duration(m.TotalTime)), ("Requests (ok / failed)", $"{m.Requests} ({m.RequestsOk} / {m.RequestsFailed})"),
            ("Connections", ReportText.Number(m.Connections)), ("Requests per connection", ReportText.Number(m.RequestsPerConnection)),
            ("TLS handshakes", ReportText.Number(m.TlsHandshakes)), ("Protocols", string.Join(", ", m.Protocols)),
            ("Lifetime p50 / p95 / max", $"{ReportText.Duration(m.LifetimeP50)} / {ReportText.Duration(m.LifetimeP95)} / {ReportText.Duration(m.LifetimeMax)}"),
            ("TIME_WAIT on client / proxy", $"{m.TimeWaitOnClient} / {m.TimeWaitOnServer}"), ("Resets", ReportText.Number(m.Resets)),
            ("GOAWAY", string.Join(", ", m.GoAways.Select(g => g.ToString()))), ("RST_STREAM", string.Join(", ", m.RstStreams.Select(g => g.ToString()))),
            ("Packets (dropped)", $"{m.Packets} ({m.PacketsDropped})"));
        if (m.ErrorTail.Length > 0)
        {
            source.Notes.Add("go said: " + string.Join(" | ", m.ErrorTail));
        }
        source.Notes.Add("Measure-GoModDownload keeps no per-connection records: run it with -KeepCapture and pipe Get-TcpFlow and Get-Http2Frame of that file for a timeline.");
        return true;
    }
}
