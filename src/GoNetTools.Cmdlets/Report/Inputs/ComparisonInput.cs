using System.Linq;

namespace GoNetTools.Report.Inputs;

/// <summary>
/// Test-GoProxyStability -Compare: the variants side by side in one table with the decision, then each variant's full
/// result as a source of its own (its findings, figures and, with -PassThru, its timeline).
/// </summary>
internal sealed class ComparisonInput : IReportInput
{
    public bool TryAdd(object input, ReportCollector collector)
    {
        if (input is not GoProxyComparison c)
        {
            return false;
        }
        var source = collector.NewSource("Test-GoProxyStability -Compare", c.Proxy);
        source.AddFigures(("Healthier", c.Healthier), ("Decided by", c.Reason));
        var columns = new[]
        {
            "Variant", "Verdict (Http1Fallback left out)", "Rounds", "Round p50", "Requests", "Failures", "Retries", "Connections", "Requests per connection",
            "Connections/s", "TIME_WAIT peak", "TLS handshakes", "Latency p95", "Problems",
        };
        var rows = c.Variants.Select(v => (System.Collections.Generic.IReadOnlyList<string>)new[]
        {
            v.Name + (v.Healthier ? " ✔" : ""), v.Verdict.ToString(), ReportText.Number(v.Rounds), ReportText.Duration(v.RoundDurationP50),
            ReportText.Number(v.Requests), $"{ReportText.Number(v.Failures)} ({ReportText.Percent(v.FailureShare)})", ReportText.Number(v.Retries),
            ReportText.Number(v.Connections), ReportText.Number(v.ReuseRatio), ReportText.Number(v.ConnectionsPerSecond),
            ReportText.Number(v.TimeWaitPeak), ReportText.Number(v.TlsHandshakes), ReportText.Duration(v.LatencyP95),
            v.Problems.Length == 0 ? "—" : v.Problems,
        }).ToList();
        source.Tables.Add(new ReportTable("Variants", columns, rows));
        for (var i = 0; i < c.Results.Length; i++)
        {
            StabilityResultInput.Add(collector, c.Results[i], i < c.Variants.Length ? c.Variants[i].Name : $"variant {i + 1}");
        }
        return true;
    }
}
