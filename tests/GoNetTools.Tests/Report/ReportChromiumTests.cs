using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using GoNetTools.Tests.GoProxy;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Report;

/// <summary>
/// Reports of real runs opened in Debian's chromium (headless, its own network namespace, a throwaway profile), driven
/// over the DevTools protocol: what the page drew is counted in its DOM and compared with the objects the report was
/// made from; the page must log no error and start no request but its own file.
/// </summary>
[Collection("GoProxyLoad")]
[Trait("Category", Category.Root)]
[Trait("Category", Category.Chromium)]
public sealed class ReportChromiumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-report-").FullName;
    private readonly ITestOutputHelper _output;

    public ReportChromiumTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Counts per source and per TIME_WAIT series, taken from the drawn SVG (aria-description names each mark).</summary>
    private const string CountScript = """
        JSON.stringify({
          sources: [...document.querySelectorAll('section.source')].map(s => ({
            id: s.id,
            bars: s.querySelectorAll('[aria-description=connection] rect').length,
            buckets: [...s.querySelectorAll('[aria-description=bucket] rect')].map(r => parseInt(r.querySelector('title').textContent)),
            goaway: s.querySelectorAll('[aria-description=goaway-mark] path').length,
            goawayAtEnd: [...s.querySelectorAll('[aria-description=goaway-mark] path title')].filter(t => t.textContent.includes('has no time')).length,
            rst: s.querySelectorAll('[aria-description=rst-mark] path').length,
            rstAtEnd: [...s.querySelectorAll('[aria-description=rst-mark] path title')].filter(t => t.textContent.includes('has no time')).length,
            latencyBins: s.querySelectorAll('[aria-description=latency-bin] rect').length })),
          series: [...document.querySelectorAll('#timewait-chart [aria-description=timewait-series] path')].map(p => (p.getAttribute('d').match(/[ML]/g) || []).length),
          samples: document.querySelectorAll('#timewait-chart [aria-description=timewait-sample] circle').length,
          peaks: document.querySelectorAll('#timewait-chart [aria-description=timewait-peak] line').length,
          ends: document.querySelectorAll('#timewait-chart [aria-description=timewait-end] circle').length,
          findings: document.querySelectorAll('tr.finding').length,
          renderMs: +document.documentElement.dataset.renderMs })
        """;

    [SkippableFact]
    public void Lab_runs_with_faults_render_one_bar_or_bucket_count_per_connection_one_point_per_sample_no_error_no_request()
    {
        LabRun.UseStagedLab();
        using var lab = new ModuleRunspace();
        // A GOAWAY after 5 streams splits each replay round (about 24 requests) over several connections; 3 % of streams reset.
        var started = lab.Invoke("Start-GoProxyLab -SyntheticModules 4 -GoAwayAfterStreams 5 -ResetStreamPercent 3");
        Assert.Empty(started.AllErrors);
        var labObject = started.Output.Single();
        var url = (string)labObject.Properties["Url"].Value;
        var port = new Uri(url).Port;
        try
        {
            using var watcher = new ModuleRunspace();
            var watch = Task.Run(() => watcher.Invoke($"Watch-TcpState -Interval 0.25 -Duration 16 -RemotePort {port}"));
            var vars = new Dictionary<string, object?> { ["lab"] = labObject };
            const string Run = "Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 6 -Pause 0.1 -Concurrency 4 -SkipCertificateCheck -PassThru";
            var h2 = lab.Invoke(Run, vars);
            var churn = lab.Invoke(Run + " -HttpVersion 1.1 -MaxIdleConnectionsPerHost 0", vars);
            var samples = watch.GetAwaiter().GetResult();
            Assert.Empty(h2.AllErrors.Concat(churn.AllErrors).Concat(samples.AllErrors));
            var results = h2.Objects<GoProxyStabilityResult>().Concat(churn.Objects<GoProxyStabilityResult>()).ToList();
            var sampleCount = samples.Objects<TcpStateSample>().Count();
            Assert.InRange(sampleCount, 40, 70);
            _output.WriteLine(string.Join("\n", results.Select(r => $"{r.HttpVersion}: {r.Rounds} rounds, {r.Requests} requests, {r.Connections} connections, " +
                $"{r.GoAways} GOAWAY, {r.RstStreams} RST_STREAM, {r.Retries} retries, {r.Failures} failures, closed by client/server/aborted " +
                $"{r.ClosedByClient}/{r.ClosedByServer}/{r.ClosedAborted}, TIME_WAIT client {r.TimeWaitPeak}/{r.TimeWaitEnd} proxy {r.ServerTimeWaitPeak}/{r.ServerTimeWaitEnd}")));
            // Several rounds each; the churn run (a connection per request) makes more connections than the HTTP/2 run (one per 5 streams),
            // so a bar limit at the HTTP/2 run's count draws it as bars and the churn run as buckets.
            Assert.All(results, r => Assert.True(r.Rounds >= 3, $"{r.Rounds} rounds"));
            Assert.True(results[1].Connections > results[0].Connections, $"churn {results[1].Connections}, HTTP/2 {results[0].Connections}");

            var path = Path.Combine(_dir, "lab.html");
            var input = h2.Output.Concat(churn.Output).Concat(samples.Output).Select(o => o.BaseObject).ToArray();
            var export = lab.Invoke("$in | Export-GoNetReport -Path $path -MaxConnectionBars $bars -PassThru",
                new Dictionary<string, object?> { ["in"] = input, ["path"] = path, ["bars"] = results[0].Connections });
            Assert.Empty(export.AllErrors);
            var file = export.Objects<ReportFile>().Single();
            _output.WriteLine($"report {file.Bytes:N0} bytes, {file.Connections} connections, {file.ConnectionBars} bars, {file.TimelineBuckets} buckets, " +
                $"{file.Marks} marks, {file.TimeWaitPoints} samples, {file.TimeWaitCounts} measured counts, written in {file.Elapsed.TotalMilliseconds:0} ms");

            using var chromium = new Chromium();
            var state = chromium.Open(new Uri(path).AbsoluteUri, TimeSpan.FromSeconds(60));
            var counts = JsonDocument.Parse(chromium.Evaluate(CountScript)).RootElement;
            _output.WriteLine(counts.ToString());
            Assert.Equal("ok", state);
            Assert.Empty(chromium.Errors);
            Assert.All(chromium.Requests, u => Assert.Equal(new Uri(path).AbsoluteUri, u));
            Assert.Single(chromium.Requests);

            var sources = counts.GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(2, sources.Count);
            var modes = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var records = results[i].ConnectionRecords!;
                Assert.Equal(results[i].Connections, records.Length);
                var drawn = sources[i];
                if (i == 0)
                {
                    modes.Add("bars");
                    Assert.Equal(records.Length, drawn.GetProperty("bars").GetInt32());
                    // GOAWAYs sit at their recorded times; RST_STREAMs are counted without one and say they sit at the end.
                    Assert.Equal(records.Count(r => r.GoAways > 0), drawn.GetProperty("goaway").GetInt32());
                    Assert.Equal(records.Count(r => r.GoAways > 0 && r.GoAwayAt is null), drawn.GetProperty("goawayAtEnd").GetInt32());
                    Assert.Equal(records.Count(r => r.RstStreams > 0), drawn.GetProperty("rst").GetInt32());
                    Assert.Equal(records.Count(r => r.RstStreams > 0), drawn.GetProperty("rstAtEnd").GetInt32());
                }
                else
                {
                    modes.Add("buckets");
                    var buckets = drawn.GetProperty("buckets").EnumerateArray().Select(b => b.GetInt32()).ToList();
                    Assert.Equal(0, drawn.GetProperty("bars").GetInt32());
                    Assert.InRange(buckets.Count, 2, 4 * 120);
                    Assert.Equal(records.Length, buckets.Sum());
                }
                Assert.True(drawn.GetProperty("latencyBins").GetInt32() > 0);
            }
            // The faults showed: the HTTP/2 run met the GOAWAY budget on many connections and resets, the churn run closed many connections itself.
            var goAwayRecords = results[0].ConnectionRecords!.Count(r => r.GoAways > 0);
            Assert.True(goAwayRecords >= 10 && results[0].RstStreams > 0, $"GOAWAY on {goAwayRecords} connections, RST_STREAM {results[0].RstStreams}");
            Assert.Equal(goAwayRecords, results[0].GoAwayEvents.Length);
            Assert.True(results[1].ClosedByClient > 100, $"{results[1].ClosedByClient} closed by the client");
            // Each run's own measured TIME_WAIT (client and, the lab being on this host, proxy side): one peak line and one end ring each.
            Assert.Equal(8, file.TimeWaitCounts);
            Assert.Equal(4, counts.GetProperty("peaks").GetInt32());
            Assert.Equal(4, counts.GetProperty("ends").GetInt32());
            Assert.Equal(new[] { "bars", "buckets" }, modes);
            Assert.Equal(sampleCount, counts.GetProperty("samples").GetInt32());
            Assert.Equal(sampleCount, counts.GetProperty("series").EnumerateArray().First().GetInt32());
            Assert.Equal(results.Sum(r => r.Findings.Length), counts.GetProperty("findings").GetInt32());

            var png = chromium.Screenshot(1280);
            Assert.True(png.Length > 50_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', $"screenshot of {png.Length} bytes");
            var pdf = chromium.PrintToPdf();
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
            _output.WriteLine($"screenshot {png.Length:N0} bytes, PDF {pdf.Length:N0} bytes");
        }
        finally
        {
            lab.Invoke("$args[0] | Stop-GoProxyLab -Confirm:$false", new Dictionary<string, object?> { ["args"] = new[] { labObject } });
        }
    }

    [SkippableFact]
    public void Detector_sees_a_request_leaving_the_page_and_a_console_error()
    {
        // Positive control of the checks above: a page without the report's CSP that asks for an image and logs an error.
        var path = Path.Combine(_dir, "leaky.html");
        File.WriteAllText(path, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\">" +
            "<script>console.error('planted'); document.documentElement.dataset.rendered = 'ok';</script></body></html>");
        using var chromium = new Chromium();
        Assert.Equal("ok", chromium.Open(new Uri(path).AbsoluteUri, TimeSpan.FromSeconds(30)));
        System.Threading.Thread.Sleep(500);
        Assert.Contains(chromium.Requests, u => u.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.Contains(chromium.Errors, e => e.Contains("planted", StringComparison.Ordinal));
    }
}
