using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Tests.GoProxy;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Report;

/// <summary>
/// Metrics read by the real Prometheus stack: Debian's prometheus-node-exporter with the textfile collector on a free
/// loopback port and a private textfile folder, Debian's prometheus (config and storage in a temp folder, loopback
/// only) scraping it and an OpenMetrics endpoint this test serves, and promtool checking the file.
/// </summary>
[Collection("GoProxyLoad")]
[Trait("Category", Category.Prometheus)]
public sealed class MetricsPrometheusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-metrics-").FullName;
    private readonly List<Process> _servers = new();
    private readonly ITestOutputHelper _output;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public MetricsPrometheusTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        foreach (var p in _servers)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
            p.Dispose();
        }
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public void Node_exporter_serves_the_file_prometheus_scrapes_it_and_openmetrics_and_promtool_accepts_it()
    {
        Requires.Tool("prometheus", "apt-get install prometheus");
        Requires.Tool("promtool", "apt-get install prometheus");
        Requires.Tool("prometheus-node-exporter", "apt-get install prometheus-node-exporter");
        var textfiles = Directory.CreateDirectory(Path.Combine(_dir, "textfile")).FullName;
        var metricsPath = Path.Combine(textfiles, "gonettools.prom");
        LabRun.UseStagedLab();
        using var ps = new ModuleRunspace();
        var lab = ps.Invoke("Start-GoProxyLab -SyntheticModules 2 -GoAwayAfterStreams 50 -ResetStreamPercent 2").Output.Single();
        string openMetrics;
        int labPort = new Uri((string)lab.Properties["Url"].Value).Port;
        try
        {
            using var watcher = new ModuleRunspace();
            var watch = Task.Run(() => watcher.Invoke($"Watch-TcpState -Interval 0.5 -Duration 4 -RemotePort {labPort}"));
            var run = ps.Invoke("Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 2 -Concurrency 2 -HttpVersion 1.1 -MaxIdleConnectionsPerHost 0 -SkipCertificateCheck -PassThru",
                new Dictionary<string, object?> { ["lab"] = lab });
            var samples = watch.GetAwaiter().GetResult();
            Assert.Empty(run.AllErrors.Concat(samples.AllErrors));
            var input = run.Output.Concat(samples.Output).Select(o => o.BaseObject).ToArray();
            var vars = new Dictionary<string, object?> { ["in"] = input, ["path"] = metricsPath };
            var export = ps.Invoke("@($in) + @(Get-TcpTimeWait) + @(Get-TcpStatistic) | Export-GoNetMetric -Path $path -PassThru", vars);
            Assert.Empty(export.AllErrors);
            openMetrics = (string)ps.Invoke("$in | ConvertTo-GoNetMetric -Format OpenMetrics", vars).Output.Single().BaseObject;
            var file = export.Objects<MetricsFile>().Single();
            _output.WriteLine($"{file.Families} families, {file.Samples} samples, {file.Bytes} bytes");
            // The file is 0644 (node_exporter runs as its own user) and was renamed into place: no temp file is left.
            Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(metricsPath));
            Assert.Equal(new[] { metricsPath }, Directory.GetFiles(textfiles));
        }
        finally
        {
            ps.Invoke("$args[0] | Stop-GoProxyLab -Confirm:$false", new Dictionary<string, object?> { ["args"] = new[] { lab } });
        }
        var text = File.ReadAllText(metricsPath);
        var (code, stdout, stderr) = Shell.TryRun("bash", $"-c \"promtool check metrics < {metricsPath}\"");
        _output.WriteLine($"promtool: {code} {stdout} {stderr}");
        Assert.Equal(0, code);
        var bad = Shell.TryRun("bash", $"-c \"printf 'gonettools_x{{a=\\\"1\\\"}} one\\n' | promtool check metrics\"");
        Assert.NotEqual(0, bad.ExitCode); // positive control: promtool does reject a malformed file

        var exporterPort = FreePort();
        Start("prometheus-node-exporter", $"--web.listen-address=127.0.0.1:{exporterPort} --collector.disable-defaults --collector.textfile " +
            $"--collector.textfile.directory={textfiles}");
        var served = Poll(() => Get($"http://127.0.0.1:{exporterPort}/metrics"), s => s.Contains("gonettools_watch_time_wait_sockets", StringComparison.Ordinal));
        Assert.Contains("node_textfile_scrape_error 0", served, StringComparison.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("gonettools_stability_verdict", StringComparison.Ordinal)))
        {
            Assert.Contains(line, served, StringComparison.Ordinal);
        }

        // The OpenMetrics text, served as application/openmetrics-text the way an exporter would.
        var omPort = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{omPort}/");
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => Serve(listener, openMetrics, stop.Token));

        var promPort = FreePort();
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ['127.0.0.1:{exporterPort}']
              - job_name: openmetrics
                static_configs:
                  - targets: ['127.0.0.1:{omPort}']
            """);
        Start("prometheus", $"--config.file={_dir}/prometheus.yml --storage.tsdb.path={_dir}/data --web.listen-address=127.0.0.1:{promPort}");
        var query = Poll(() => Get($"http://127.0.0.1:{promPort}/api/v1/query?query=gonettools_watch_time_wait_sockets%7Bjob%3D%22node%22%7D"),
            s => s.Contains("\"result\":[{", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var doc = JsonDocument.Parse(query);
        var series = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList();
        _output.WriteLine(query);
        Assert.Contains(series, s => s.GetProperty("metric").GetProperty("job").GetString() == "node");
        var om = Poll(() => Get($"http://127.0.0.1:{promPort}/api/v1/query?query=gonettools_stability_verdict%7Bjob%3D%22openmetrics%22%7D"),
            s => s.Contains("\"result\":[{", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(3, JsonDocument.Parse(om).RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
        var health = Get($"http://127.0.0.1:{promPort}/api/v1/targets");
        Assert.DoesNotContain("\"health\":\"down\"", health, StringComparison.Ordinal);
        stop.Cancel();
        listener.Stop();
    }

    private static void Serve(HttpListener listener, string body, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }
    }

    private void Start(string file, string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _servers.Add(process);
    }

    private string Get(string url)
    {
        try
        {
            return _http.GetStringAsync(url).GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private static string Poll(Func<string> read, Func<string, bool> done, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        string last;
        do
        {
            last = read();
            if (done(last))
            {
                return last;
            }
            Thread.Sleep(250);
        }
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)));
        throw new TimeoutException("gave up waiting; last answer: " + last[..Math.Min(last.Length, 2000)]);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
