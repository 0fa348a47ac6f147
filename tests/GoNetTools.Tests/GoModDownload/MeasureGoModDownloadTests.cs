using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoModDownload;

/// <summary>
/// Measure-GoModDownload through the real engine against the real go tool and a lab GOPROXY; tshark reads the
/// kept capture as the oracle, the lab's own counters check the requests.
/// </summary>
[Trait("Category", Category.Tshark)]
[Trait("Category", Category.Root)]
[Collection("GoModDownload")]
public sealed class MeasureGoModDownloadTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-gomod-test-").FullName;

    public void Dispose()
    {
        _ps.Invoke("Get-GoProxyLab | Stop-GoProxyLab");
        _ps.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private GoModDownloadMeasurement Measure(string script, string capture)
    {
        var result = _ps.Invoke(script, new Dictionary<string, object?> { ["f"] = capture, ["dir"] = _dir });
        Assert.Empty(result.AllErrors);
        return Assert.Single(result.Objects<GoModDownloadMeasurement>());
    }

    [SkippableFact]
    public void Lab_run_downloads_the_catalog_and_matches_tshark_and_the_lab()
    {
        var capture = Path.Combine(_dir, "lab.pcap");
        var m = Measure("Measure-GoModDownload -Lab -KeepCapture $f", capture);
        var port = new Uri(m.Proxy).Port;

        Assert.True(m.Succeeded, string.Join('\n', m.ErrorTail));
        Assert.Equal(0, m.ExitCode);
        Assert.Equal(16, m.Modules.Length); // the default lab: 8 modules x 2 versions
        Assert.Equal(capture, m.CapturePath);
        Assert.Equal("lo", m.Adapter);
        var lab = Assert.IsType<GoProxyLabStatistics>(m.LabStatistics);
        Assert.Equal(16L, Convert.ToInt64(lab.RequestsByKind["zip"]));
        Assert.Equal(lab.Requests, m.Requests);
        Assert.Equal(m.Requests, m.RequestsOk);
        Assert.Equal(Tshark.Count(capture, "tls.handshake.type==1", $"-d tcp.port=={port},tls"), m.TlsHandshakes);
        Assert.Equal(lab.TlsHandshakes, m.TlsHandshakes);
        Assert.True(m.TlsHandshakes >= 1);
        Assert.Equal(Tshark.TcpConversations(capture), m.Connections);
        Assert.Equal(lab.Connections, m.Connections);
        Assert.Equal(Math.Round((double)m.Requests / m.Connections, 2), m.RequestsPerConnection);
        Assert.True(m.LifetimeMax >= m.LifetimeP50 && m.LifetimeMax > TimeSpan.Zero);
        Assert.Equal(m.Connections, m.TimeWaitOnClient + m.TimeWaitOnServer + m.Resets);
        Assert.Equal("(none)", Assert.Single(m.TlsHandshakesBySni).Sni); // go sends no SNI to an IP address
    }

    [SkippableFact]
    public void Piped_tls_lab_with_goaway_budget_opens_the_connections_the_lab_counts()
    {
        var capture = Path.Combine(_dir, "goaway.pcap");
        var m = Measure("$l = Start-GoProxyLab -SyntheticModules 4 -GoAwayAfterStreams 3; $l | Measure-GoModDownload -KeepCapture $f; Stop-GoProxyLab $l", capture);
        var port = new Uri(m.Proxy).Port;
        var lab = m.LabStatistics!;
        Assert.True(m.Succeeded, string.Join('\n', m.ErrorTail));
        Assert.True(lab.GoAwaysSent >= 2, $"GOAWAYs sent: {lab.GoAwaysSent}");
        Assert.True(m.Connections >= 3, $"connections: {m.Connections}");
        Assert.Equal(lab.Connections, m.Connections);
        Assert.Equal(Tshark.TcpConversations(capture), m.Connections);
        Assert.Equal(Tshark.Count(capture, "tls.handshake.type==1", $"-d tcp.port=={port},tls"), m.TlsHandshakes);
        Assert.Equal(lab.Requests, m.Requests);
        Assert.Empty(m.GoAways); // encrypted: the frames are not visible, the lab's count is
    }

    [SkippableFact]
    public void Cleartext_lab_frames_match_tshark_and_the_lab()
    {
        // go (1.19 here) speaks HTTP/1.1 to an http:// proxy: no h2c, so the lab's -GoAwayAfterStreams budget ends
        // connections with "Connection: close" instead of GOAWAY; GOAWAYs seen must equal the lab's and tshark's.
        var capture = Path.Combine(_dir, "clear.pcap");
        var m = Measure("$l = Start-GoProxyLab -Cleartext -SyntheticModules 3 -GoAwayAfterStreams 2; $l | Measure-GoModDownload -KeepCapture $f; Stop-GoProxyLab $l", capture);
        var port = new Uri(m.Proxy).Port;
        var lab = m.LabStatistics!;
        Assert.True(m.Succeeded, string.Join('\n', m.ErrorTail));
        Assert.Equal(0, m.TlsHandshakes);
        Assert.Equal(lab.Requests, m.Requests);
        Assert.Equal(lab.Connections, m.Connections);
        Assert.Equal(Tshark.TcpConversations(capture), m.Connections);
        var goAwaysSeen = m.GoAways.Sum(g => g.Count);
        Assert.Equal(lab.GoAwaysSent, goAwaysSeen);
        Assert.Equal(Tshark.Count(capture, "http2.type==7", $"-d tcp.port=={port},http2"), goAwaysSeen);
        if (lab.Http2Requests == 0)
        {
            Assert.Equal(new[] { "http/1.1" }, m.Protocols);
            Assert.True(m.Connections > 1 && lab.ConnectionCloses > 0, "the budget must close connections");
        }
    }

    [SkippableFact]
    public void GoMod_requirements_are_downloaded_from_a_lab()
    {
        var result = _ps.Invoke("""
            $l = Start-GoProxyLab -SyntheticModules 2 -SyntheticVersions 1
            $path, $version = $l.Modules[0] -split '@'
            [IO.File]::WriteAllText("$dir/go.mod", "module example.test/m`n`ngo 1.19`n`nrequire $path $version`n")
            $l | Measure-GoModDownload -GoMod "$dir/go.mod"
            Stop-GoProxyLab $l
            """, new Dictionary<string, object?> { ["dir"] = _dir });
        Assert.Empty(result.AllErrors);
        var m = Assert.Single(result.Objects<GoModDownloadMeasurement>());
        Assert.True(m.Succeeded, string.Join('\n', m.ErrorTail));
        Assert.Equal(m.LabStatistics!.Requests, m.Requests);
        Assert.True(m.Requests >= 2);
        Assert.EndsWith("go.mod", m.Modules[0]);
    }

    [SkippableFact]
    public void Missing_go_is_ObjectNotFound_saying_how_to_install_it()
    {
        var result = _ps.Invoke("$GoNetToolsGoPath = '/nonexistent/bin/go'; Measure-GoModDownload -Lab");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("GoToolNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("apt-get install golang-go", error.ErrorDetails.RecommendedAction);
        Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output); // no lab left behind
    }

    [SkippableFact]
    public void Missing_capture_library_is_the_capture_layer_error()
    {
        var result = _ps.Invoke("$GoNetToolsPcapLibrary = 'libpcap-not-here.so.9'; Measure-GoModDownload -Lab");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("CaptureLibraryMissing,GoNetTools.Commands.MeasureGoModDownloadCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Empty(result.Objects<GoModDownloadMeasurement>());
        Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output);
    }

    [SkippableFact]
    public void Bad_GoMod_and_module_arguments_are_clear_errors()
    {
        File.WriteAllText(Path.Combine(_dir, "notgomod.txt"), "hello\n");
        var vars = new Dictionary<string, object?> { ["dir"] = _dir };
        var missing = Assert.Single(_ps.Invoke("Measure-GoModDownload -Lab -GoMod \"$dir/nope/go.mod\"", vars).AllErrors);
        Assert.Equal("GoModNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        var invalid = Assert.Single(_ps.Invoke("Measure-GoModDownload -Lab -GoMod \"$dir/notgomod.txt\"", vars).AllErrors);
        Assert.Equal("InvalidGoMod,GoNetTools.Commands.MeasureGoModDownloadCommand", invalid.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, invalid.CategoryInfo.Category);
        var module = Assert.Single(_ps.Invoke("Measure-GoModDownload -Proxy http://127.0.0.1:1 -Module golang.org/x/text").AllErrors);
        Assert.Equal("InvalidModule,GoNetTools.Commands.MeasureGoModDownloadCommand", module.FullyQualifiedErrorId);
        var none = Assert.Single(_ps.Invoke("Measure-GoModDownload -Proxy http://127.0.0.1:1").AllErrors);
        Assert.Equal("GoModDownloadNoModules,GoNetTools.Commands.MeasureGoModDownloadCommand", none.FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void Failing_go_still_returns_the_measurement_and_a_non_terminating_error()
    {
        var result = _ps.Invoke("Measure-GoModDownload -Proxy http://127.0.0.1:1 -Module example.test/x@v1.0.0");
        Assert.Null(result.Terminating);
        var m = Assert.Single(result.Objects<GoModDownloadMeasurement>());
        Assert.False(m.Succeeded);
        Assert.NotEqual(0, m.ExitCode);
        Assert.Contains(m.ErrorTail, l => l.Contains("connection refused", StringComparison.Ordinal));
        Assert.Equal(1, m.RequestsFailed);
        var error = Assert.Single(result.Errors);
        Assert.Equal("GoModDownloadFailed,GoNetTools.Commands.MeasureGoModDownloadCommand", error.FullyQualifiedErrorId);
    }
}
