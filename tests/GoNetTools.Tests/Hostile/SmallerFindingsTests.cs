using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using GoNetTools.Tests.Analysis;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Nic;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Hostile;

/// <summary>
/// The report's smaller findings, each through a real runspace: wildcard adapters on Set-*, pipeline input bound by
/// type only, -Sni checked up front, SNI bytes from the wire escaped (raw bytes kept apart), honest categories and
/// messages (-SampleSeconds 1e308, a negative port range, a read-only capture folder, -GoMod without go.mod).
/// </summary>
[Trait("Category", Category.Root)]
public sealed class SmallerFindingsTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-smaller-").FullName;

    public void Dispose()
    {
        _ps.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private PipelineResult Run(string script, params (string Name, object? Value)[] variables) =>
        _ps.Invoke(script, variables.ToDictionary(v => v.Name, v => v.Value));

    /// <summary>The one error a statement stopped with (a script reports a cmdlet's terminating error as a record).</summary>
    private static ErrorRecord Only(PipelineResult result) => Assert.Single(result.AllErrors);

    [SkippableFact]
    public void Set_NicQueue_refuses_a_wildcard_that_matches_several_adapters_and_writes_nothing()
    {
        using var copy = new WritableFixture(NicFixtures.Server);
        string Rps(string adapter) => File.ReadAllText(copy.Path_("sys", "class", "net", adapter, "queues", "rx-0", "rps_cpus")).Trim();
        var before = (Rps("eth0"), Rps("eth1"));
        var result = _ps.Invoke("Set-NicQueue -Adapter 'eth*' -Index 0 -RpsCpus 2 -Confirm:$false", NicFixtures.Root(copy.Root));
        Assert.Equal("AdapterAmbiguous,GoNetTools.Commands.SetNicQueueCommand", Only(result).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, Only(result).CategoryInfo.Category);
        Assert.Contains("matches 2 adapters (eth0, eth1)", Only(result).ToString());
        Assert.Equal(before, (Rps("eth0"), Rps("eth1")));
        // Positive control: a pattern that names one adapter is applied to it alone.
        Assert.Empty(_ps.Invoke("Set-NicQueue -Adapter 'eth0*' -Index 0 -RpsCpus 2 -Confirm:$false").AllErrors);
        Assert.Equal(("4", before.Item2), (Rps("eth0"), Rps("eth1")));
    }

    [SkippableFact]
    public void A_lab_piped_to_Stop_PacketCapture_and_a_capture_piped_to_Stop_GoProxyLab_bind_nothing_and_stop_nothing()
    {
        var file = Path.Combine(_dir, "c.pcap");
        var result = Run(
            "$c = Start-PacketCapture lo 'udp port 9' -Path $f; $l = Start-GoProxyLab; " +
            "try { $l | Stop-PacketCapture -ErrorAction Stop } catch { 'CAP ' + $_.FullyQualifiedErrorId }; " +
            "try { $c | Stop-GoProxyLab -Confirm:$false -ErrorAction Stop } catch { 'LAB ' + $_.FullyQualifiedErrorId }; " +
            "'STATES ' + (Get-PacketCapture -Id $c.Id).State + ' ' + $l.State; " +
            "$c | Stop-PacketCapture | Out-Null; $l | Stop-GoProxyLab -Confirm:$false; 'AFTER ' + (Get-PacketCapture -Id $c.Id).State + ' ' + $l.State",
            ("f", file));
        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.Contains("CAP InputObjectNotBound,GoNetTools.Commands.StopPacketCaptureCommand", lines);
        Assert.Contains("LAB InputObjectNotBound,GoNetTools.Commands.StopGoProxyLabCommand", lines);
        Assert.Contains("STATES Running Running", lines); // neither was stopped by the wrong object
        Assert.Contains("AFTER Stopped Stopped", lines); // positive control: the right objects do bind
    }

    [SkippableFact]
    public void An_invalid_Sni_pattern_is_an_argument_error_before_any_file_is_read()
    {
        var flow = new SyntheticFlow(IPAddress.Parse("192.0.2.10"), 40000, IPAddress.Parse("192.0.2.1"), 443, T0).Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord("proxy.golang.org", new[] { "h2" }));
        var file = Path.Combine(_dir, "hello.pcap");
        File.WriteAllBytes(file, Pcap(flow.Packets));
        var bad = Run("Get-TlsHandshake -LiteralPath $f -Sni '['", ("f", file));
        Assert.Equal("InvalidWildcardPattern,GoNetTools.Commands.GetTlsHandshakeCommand", Only(bad).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, Only(bad).CategoryInfo.Category);
        Assert.Empty(bad.Output);
        Assert.Single(Run("Get-TlsHandshake -LiteralPath $f -Sni 'proxy.*'", ("f", file)).Objects<TlsHandshake>());
    }

    [SkippableFact]
    public void Sni_bytes_from_the_wire_are_shown_escaped_and_kept_raw_apart()
    {
        const string Hostile = "evil\u001b]0;owned\u0007\u001b[2J.example";
        var flow = new SyntheticFlow(IPAddress.Parse("192.0.2.10"), 40000, IPAddress.Parse("192.0.2.1"), 443, T0).Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord(Hostile, new[] { "h2" })).ClientFin().ServerFin().ClientAck();
        var file = Path.Combine(_dir, "hostile.pcap");
        File.WriteAllBytes(file, Pcap(flow.Packets));
        var handshake = Assert.Single(Run("Get-TlsHandshake -LiteralPath $f", ("f", file)).Objects<TlsHandshake>());
        Assert.Equal(@"evil\x1b]0;owned\x07\x1b[2J.example", handshake.Sni);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(Hostile), handshake.SniBytes);
        var tcp = Assert.Single(Run("Get-TcpFlow -LiteralPath $f", ("f", file)).Objects<TcpFlow>());
        Assert.DoesNotContain('\u001b', tcp.Sni!);
        var summary = Assert.Single(Run("Measure-PacketCapture -LiteralPath $f", ("f", file)).Objects<CaptureSummary>());
        Assert.All(summary.TlsHandshakesBySni, s => Assert.DoesNotContain('\u001b', s.Sni));
    }

    [SkippableFact]
    public void Messages_and_categories_say_what_is_wrong()
    {
        var huge = Run("Get-TcpPortBudget -SampleSeconds 1e308");
        Assert.Equal("ParameterArgumentValidationError,GoNetTools.Commands.GetTcpPortBudgetCommand", Only(huge).FullyQualifiedErrorId);
        Assert.DoesNotContain("Int32", Only(huge).ToString());
        Assert.Contains("3600", Only(huge).ToString());

        var negative = _ps.Invoke("Set-TcpTuning -Name LocalPortRange -Value '-5 100' -WhatIf",
            new Dictionary<string, object?> { ["GoNetToolsSystemRoot"] = Repo.Fixture("tuning", "linux-root"), ["GoNetToolsConfigRoot"] = _dir });
        Assert.Equal("InvalidTunableValue,GoNetTools.Commands.SetTcpTuningCommand", Only(negative).FullyQualifiedErrorId);
        Assert.Contains("'-5 100' is not a port range", Only(negative).ToString());

        var folder = Directory.CreateDirectory(Path.Combine(_dir, "module-without-gomod")).FullName;
        var noGoMod = Run("Measure-GoModDownload -Lab -GoMod $d", ("d", folder));
        Assert.Equal("GoModNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand", Only(noGoMod).FullyQualifiedErrorId);
        Assert.Contains($"The folder '{folder}' has no go.mod file", Only(noGoMod).ToString());

        var fifo = Path.Combine(_dir, "go.mod");
        Shell.Run("mkfifo", fifo);
        var pipe = Run("Measure-GoModDownload -Lab -GoMod $f", ("f", fifo));
        Assert.Equal("NotARegularFile,GoNetTools.Commands.MeasureGoModDownloadCommand", Only(pipe).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void A_capture_into_a_read_only_folder_is_PermissionDenied()
    {
        // A private mount namespace with a read-only tmpfs: root cannot write there either, and the host's mounts stay.
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "ro")).FullName;
        File.WriteAllText(Path.Combine(_dir, "capture.ps1"),
            $"try {{ Start-PacketCapture lo 'udp port 9' -Path '{dir}/c.pcap' -ErrorAction Stop }} catch {{ 'ERR ' + $_.FullyQualifiedErrorId + ' ' + $_.CategoryInfo.Category }}");
        File.WriteAllText(Path.Combine(_dir, "run.sh"),
            $"mount -t tmpfs -o ro,size=1m tmpfs {dir} || exit 3\n" +
            $"GONETTOOLS_MODULE={Repo.ModuleManifest} dotnet {Repo.HostDll} -Command \". '{_dir}/capture.ps1'\"\n");
        var (_, stdout, stderr) = Shell.TryRun("unshare", $"-m --propagation private sh {_dir}/run.sh", 120_000);
        Assert.True(stdout.Contains("ERR ", StringComparison.Ordinal), stderr); // the host exits 1 after the caught error, by design
        Assert.Contains("ERR CaptureFileError,GoNetTools.Commands.StartPacketCaptureCommand PermissionDenied", stdout);
    }
}
