using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using GoNetTools.Foundation;

namespace GoNetTools.Report;

/// <summary>How the report is titled and laid out.</summary>
internal sealed record ReportOptions(string Title, int MaxConnectionBars, DateTime GeneratedAt, string Host, string ModuleVersion);

/// <summary>
/// Writes the report as one HTML file: the tables (findings with evidence, run parameters, figures) as HTML, which
/// read and print without script; the charts drawn by Assets/report.js with Observable Plot (Assets/plot.min.js),
/// both inlined with the data as JSON. Nothing is loaded from anywhere: a Content-Security-Policy forbids it.
/// </summary>
internal static class HtmlReport
{
    private static readonly Lazy<(string Plot, string Script, string Style)> Assets = new(() => (Asset("plot.min.js"), Asset("report.js"), Asset("report.css")));

    public static (string Html, ReportCounts Counts) Render(ReportCollector collector, ReportOptions options)
    {
        var (data, counts) = ReportPage.Build(collector, options.MaxConnectionBars);
        data["title"] = options.Title;
        var (plot, script, style) = Assets.Value;
        var html = new StringBuilder(plot.Length + 64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"GoNetTools ").Append(E(options.ModuleVersion)).Append("\">\n")
            .Append("<title>").Append(E(options.Title)).Append("</title>\n<style>\n").Append(style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(E(options.Title)).Append("</h1><p class=\"meta\">")
            .Append(E($"Made by GoNetTools {options.ModuleVersion} on {options.Host} at {options.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC"))
            .Append("</p>\n<noscript><p class=\"note\">The charts need JavaScript; every table below is complete without it.</p></noscript>\n");
        Summary(html, collector.Sources);
        html.Append("</header>\n");
        Findings(html, collector.Findings);
        html.Append("<section id=\"timewait\"><h2>TIME_WAIT over time</h2>\n<div class=\"chart\" id=\"timewait-chart\"></div>\n")
            .Append("<p class=\"note\">Measured series (Watch-TcpState) have one point per sample. Derived series count, at each moment, the connections ")
            .Append("closed in the last TIME_WAIT length on the side that closed first: the client side holds our ephemeral ports, the proxy side ")
            .Append("the proxy's sockets. A stability run's own socket-table reads are drawn beside its derived curves: the measured peak as a thin ")
            .Append("line across the run, the measured end as a ring.</p></section>\n");
        var number = 0;
        foreach (var source in collector.Sources)
        {
            Source(html, source, $"s{++number}");
        }
        html.Append("<footer><p>Charts drawn with Observable Plot 0.6.17 and d3 7.9.0 (ISC licence; BSD-3-Clause d3-ease, MIT interval-tree-1d and ")
            .Append("binary-search-bounds), inlined; their notices are in THIRD-PARTY-NOTICES.txt of the GoNetTools module.</p></footer>\n")
            .Append("<script type=\"application/json\" id=\"gonet-data\">").Append(JsonSerializer.Serialize(data)).Append("</script>\n")
            .Append("<script>\n").Append(plot).Append("\n</script>\n<script>\n").Append(script).Append("\n</script>\n</body>\n</html>\n");
        return (html.ToString(), counts);
    }

    private static void Summary(StringBuilder html, List<ReportSource> sources)
    {
        html.Append("<div class=\"cards\">");
        foreach (var s in sources)
        {
            html.Append("<div class=\"card\"><div class=\"kind\">").Append(E(s.Kind)).Append("</div><div class=\"name\">").Append(E(s.Name)).Append("</div>");
            if (s.Verdict is not null)
            {
                html.Append("<div class=\"verdict v-").Append(E(s.Verdict.ToLowerInvariant())).Append("\">").Append(E(s.Verdict)).Append("</div>");
            }
            html.Append("</div>");
        }
        html.Append("</div>\n");
    }

    private static void Findings(StringBuilder html, List<ReportFinding> findings)
    {
        html.Append("<section id=\"findings\"><h2>Findings</h2>\n");
        if (findings.Count == 0)
        {
            html.Append("<p class=\"note\">No input carried findings.</p></section>\n");
            return;
        }
        html.Append("<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th><th>Evidence</th><th>What helps</th></tr></thead><tbody>\n");
        foreach (var f in findings.OrderByDescending(f => Rank(f.Severity)))
        {
            html.Append("<tr class=\"finding sev-").Append(E(f.Severity.ToLowerInvariant())).Append("\"><td><span class=\"badge\">").Append(E(f.Severity))
                .Append("</span></td><td><b>").Append(E(f.Code)).Append("</b><br>").Append(E(f.Message)).Append("<div class=\"src\">").Append(E(f.Source))
                .Append("</div></td><td><dl>");
            foreach (var (key, value) in f.Evidence)
            {
                html.Append("<dt>").Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
            }
            html.Append("</dl></td><td>").Append(E(f.Recommendation)).Append("<div class=\"rule\">").Append(E(f.Rule)).Append("</div></td></tr>\n");
        }
        html.Append("</tbody></table></section>\n");
    }

    private static int Rank(string severity) => severity switch { "Error" => 2, "Warning" => 1, _ => 0 };

    private static void Source(StringBuilder html, ReportSource s, string id)
    {
        html.Append("<section class=\"source\" id=\"").Append(id).Append("\"><h2>").Append(E(s.Kind)).Append(": ").Append(E(s.Name)).Append("</h2>\n");
        if (s.Connections.Count > 0)
        {
            html.Append("<h3>Connections</h3><div class=\"chart timeline\" id=\"").Append(id).Append("-timeline\"></div>\n");
        }
        if (s.Connections.Count > 0 || s.Percentiles.Exists(p => p.Value > TimeSpan.Zero))
        {
            html.Append("<h3>Latency distribution</h3><div class=\"chart latency\" id=\"").Append(id).Append("-latency\"></div>\n");
        }
        foreach (var note in s.Notes)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        }
        html.Append("<div class=\"tables\">");
        Table(html, "Run parameters", "parameters", s.Parameters);
        Table(html, "Figures", "figures", s.Figures);
        if (s.Percentiles.Count > 0)
        {
            Table(html, "Request latency", "percentiles", s.Percentiles.Select(p => new KeyValuePair<string, string>(p.Key, ReportText.Duration(p.Value))).ToList());
        }
        html.Append("</div>");
        foreach (var table in s.Tables)
        {
            html.Append("<table class=\"grid\"><caption>").Append(E(table.Caption)).Append("</caption><thead><tr>");
            foreach (var column in table.Columns)
            {
                html.Append("<th>").Append(E(column)).Append("</th>");
            }
            html.Append("</tr></thead><tbody>");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>").AppendJoin("", row.Select(cell => "<td>" + E(cell) + "</td>")).Append("</tr>");
            }
            html.Append("</tbody></table>");
        }
        html.Append("</section>\n");
    }

    private static void Table(StringBuilder html, string caption, string cssClass, IReadOnlyList<KeyValuePair<string, string>> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        html.Append("<table class=\"kv ").Append(cssClass).Append("\"><caption>").Append(E(caption)).Append("</caption><tbody>");
        foreach (var (key, value) in rows)
        {
            html.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An inlined asset; "&lt;/script" inside it would end the element early, so it is refused.</summary>
    private static string Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("GoNetTools.Report." + name)
            ?? throw new InvalidOperationException($"The report asset {name} is missing from the assembly.");
        var text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        return text.Contains("</script", StringComparison.OrdinalIgnoreCase) ? throw new InvalidOperationException($"{name} contains </script.") : text;
    }
}
