using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Analysis;

/// <summary>The analysis cmdlets through a real runspace: binding, pipeline input, errors, warnings, filters.</summary>
public sealed class CaptureCmdletTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-cmdlet-").FullName;

    public void Dispose()
    {
        _ps.Dispose();
        Directory.Delete(_dir, true);
    }

    private string WriteCapture(string name, int flows)
    {
        var packets = new List<(DateTime, byte[])>();
        for (var i = 0; i < flows; i++)
        {
            var f = new SyntheticFlow(IPAddress.Parse("10.1.0.2"), 41000 + i, IPAddress.Parse("10.1.0.1"), 443, T0.AddMilliseconds(100 * i));
            f.Handshake().ClientSends(SyntheticPackets.ClientHelloRecord(i % 2 == 0 ? "proxy.golang.org" : "sum.golang.org", new[] { "h2", "http/1.1" }))
                .ServerSends(SyntheticPackets.ServerHelloRecord(true, null)).ClientSends(SyntheticPackets.Record(20, new byte[] { 1 }));
            if (i % 3 == 0)
            {
                f.ServerFin().ClientFin().ClientAck();
            }
            else
            {
                f.ClientFin().ServerFin().ClientAck();
            }
            packets.AddRange(f.Packets);
        }
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Pcap(packets));
        return path;
    }

    private PipelineResult Invoke(string script, params (string Name, object? Value)[] vars) =>
        _ps.Invoke(script, vars.ToDictionary(v => v.Name, v => v.Value));

    [SkippableFact]
    public void Paths_bind_positionally_by_wildcard_and_from_the_pipeline()
    {
        WriteCapture("a.pcap", 3);
        WriteCapture("b.pcap", 4);
        Assert.Equal(3, Invoke("Get-TcpFlow \"$d/a.pcap\"", ("d", _dir)).Objects<TcpFlow>().Count());
        Assert.Equal(7, Invoke("Get-TcpFlow -Path \"$d/*.pcap\"", ("d", _dir)).Objects<TcpFlow>().Count());
        Assert.Equal(7, Invoke("[System.IO.DirectoryInfo]::new($d).GetFiles('*.pcap') | Get-TlsHandshake", ("d", _dir)).Objects<TlsHandshake>().Count());
        Assert.Equal(2, Invoke("\"$d/a.pcap\", \"$d/b.pcap\" | Measure-PacketCapture", ("d", _dir)).Objects<CaptureSummary>().Count());
        // The session's location, not the process directory, resolves relative paths.
        Assert.Equal(4, Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($d); Get-TcpFlow -LiteralPath b.pcap", ("d", _dir)).Objects<TcpFlow>().Count());
    }

    [SkippableFact]
    public void Summary_counts_time_wait_holders_handshakes_and_lifetimes()
    {
        var path = WriteCapture("s.pcap", 6);
        var summary = Assert.Single(Invoke("Measure-PacketCapture -LiteralPath $p", ("p", path)).Objects<CaptureSummary>());
        Assert.Equal(6, summary.Connections);
        Assert.Equal(6, summary.TlsHandshakes);
        Assert.Equal(3, summary.TlsHandshakesBySni.Single(s => s.Sni == "proxy.golang.org").Count);
        Assert.Equal(2, summary.TimeWaitOnServer); // flows 0 and 3
        Assert.Equal(4, summary.TimeWaitOnClient);
        Assert.True(summary.LifetimeP50 > TimeSpan.Zero && summary.LifetimeP50 <= summary.LifetimeP95 && summary.LifetimeP95 <= summary.LifetimeMax);
        Assert.Null(summary.ConnectionReuse); // TLS hides the requests
        Assert.True(summary.ConnectionsPerSecond > 0);
    }

    [SkippableFact]
    public void Filters_keep_only_what_was_asked()
    {
        var path = WriteCapture("f.pcap", 4);
        Assert.Equal(2, Invoke("Get-TlsHandshake $p -Sni 'sum.*'", ("p", path)).Objects<TlsHandshake>().Count());
        Assert.Equal(4, Invoke("Get-TcpFlow $p -ServerPort 443", ("p", path)).Objects<TcpFlow>().Count());
        Assert.Empty(Invoke("Get-TcpFlow $p -ServerPort 80", ("p", path)).Objects<TcpFlow>());
        Assert.Empty(Invoke("Get-Http2Frame $p -Type GoAway", ("p", path)).Objects<Http2Frame>());
    }

    [SkippableFact]
    public void Missing_file_is_ObjectNotFound_and_the_next_file_still_runs()
    {
        var good = WriteCapture("g.pcap", 2);
        var result = Invoke("Get-TcpFlow -LiteralPath \"$d/nope.pcap\", $g", ("d", _dir), ("g", good));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("CaptureFileNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(2, result.Objects<TcpFlow>().Count());
    }

    [SkippableFact]
    public void Non_capture_file_is_InvalidData()
    {
        var path = Path.Combine(_dir, "notes.pcap");
        File.WriteAllText(path, "this is not a capture file at all");
        var result = Invoke("Measure-PacketCapture $p", ("p", path));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidCaptureFile", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        Assert.Empty(result.Output);
        var empty = Path.Combine(_dir, "empty.pcap");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Assert.StartsWith("InvalidCaptureFile", Assert.Single(Invoke("Get-TcpFlow $p", ("p", empty)).Errors).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void Truncated_file_gives_flows_and_a_warning()
    {
        var path = WriteCapture("t.pcap", 3);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);
        var result = Invoke("Get-TcpFlow $p", ("p", path));
        Assert.Empty(result.AllErrors);
        Assert.Equal(3, result.Objects<TcpFlow>().Count());
        Assert.Contains(result.Warnings, w => w.Contains("truncated", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Default_views_render_in_the_gonettools_host()
    {
        var path = WriteCapture("v.pcap", 2);
        foreach (var (cmd, expect) in new[] { ("Get-TcpFlow", "10.1.0.1:443"), ("Get-TlsHandshake", "sum.golang.org"), ("Measure-PacketCapture", ": 2: proxy.golang.org×1, sum.golang.org×1") })
        {
            var (code, stdout, stderr) = GoNetToolsHost.Run($"{cmd} '{path}'");
            Assert.True(code == 0, stderr);
            Assert.Contains(expect, stdout);
        }
    }
}
