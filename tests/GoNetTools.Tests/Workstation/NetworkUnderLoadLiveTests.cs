using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>
/// Test-NetworkUnderLoad live: the loopback probe with the real compile and lab download load, baseline against
/// load, with the kernel's own counters (softnet_stat read by the test, nstat) as witnesses; and the ICMP probe
/// through a veth into a second test-made namespace, counted by that namespace's kernel.
/// </summary>
[Collection("GoBuild")]
[Trait("Category", "Go")]
public sealed class NetworkUnderLoadLiveTests
{
    /// <summary>Needs the go tool on PATH (skipped with the hint without it).</summary>
    public NetworkUnderLoadLiveTests() => Requires.Tool("go", "apt-get install golang-go");

    [SkippableFact]
    public void Loopback_probe_under_compile_and_lab_download_reports_both_phases_Linux()
    {
        var squeezeBefore = SoftnetTotals();
        var retransBefore = Nstat("TcpRetransSegs", null);
        using var ps = new ModuleRunspace();
        var run = ps.Invoke("Test-NetworkUnderLoad -Duration 4 -Windows 3");
        var squeezeAfter = SoftnetTotals();
        var retransAfter = Nstat("TcpRetransSegs", null);
        Assert.Empty(run.AllErrors);
        var result = Assert.Single(run.Objects<NetworkLoadResult>());
        Assert.Equal("GoNetTools.NetworkLoadResult", run.Output[0].TypeNames[0]);

        Assert.StartsWith("UDP echo 127.0.0.1:", result.Probe, StringComparison.Ordinal);
        Assert.Contains("lo", result.Adapters);
        foreach (var phase in new[] { result.Baseline, result.UnderLoad })
        {
            // 10 ms probes over ~4 s; a loaded 2-core machine may send late, never far fewer.
            Assert.InRange(phase.ProbesSent, 200, 420);
            Assert.True(phase.LatencyP50 > TimeSpan.Zero && phase.LatencyP99 >= phase.LatencyP50);
            Assert.Equal(3, phase.WindowP99Ms.Length);
            Assert.NotNull(phase.SoftnetTimeSqueeze);
            Assert.NotNull(phase.TcpRetransmits);
        }
        Assert.Equal(("baseline", "load"), (result.Baseline.Name, result.UnderLoad.Name));
        Assert.True(result.CompileRunsStarted >= 1, "go build -a std ran");
        Assert.True(result.DownloadRunsFinished >= 1, "go mod download from the lab finished at least once");
        Assert.Equal((0, 0), (result.CompileRunsFailed, result.DownloadRunsFailed));
        Assert.StartsWith("https://127.0.0.1:", result.LabUrl, StringComparison.Ordinal);
        Assert.Equal(11, result.Changes.Length);
        Assert.Equal(new[] { ChainLink.Heat, ChainLink.Clock, ChainLink.Softirq, ChainLink.Drops }, result.Chain.Select(c => c.Link));
        Assert.NotEqual(ChainLinkStatus.NotExposed, result.Chain.Single(c => c.Link == ChainLink.Drops).Status);
        var cpufreq = Directory.Exists("/sys/devices/system/cpu/cpu0/cpufreq");
        Assert.Equal(cpufreq, result.Chain.Single(c => c.Link == ChainLink.Clock).Status != ChainLinkStatus.NotExposed);
        Assert.Contains(result.Samples, s => s.Phase == "baseline");
        Assert.Contains(result.Samples, s => s.Phase == "load");
        Assert.Contains("Under load (go build -a std in a loop + go mod download", result.Conclusion, StringComparison.Ordinal);

        // Witnesses: what the test read itself around the run bounds what the phases counted.
        Assert.InRange(result.Baseline.SoftnetTimeSqueeze!.Value + result.UnderLoad.SoftnetTimeSqueeze!.Value, 0, squeezeAfter.Squeeze - squeezeBefore.Squeeze);
        Assert.InRange(result.Baseline.SoftnetDropped!.Value + result.UnderLoad.SoftnetDropped!.Value, 0, squeezeAfter.Dropped - squeezeBefore.Dropped);
        Assert.InRange(result.Baseline.TcpRetransmits!.Value + result.UnderLoad.TcpRetransmits!.Value, 0, retransAfter - retransBefore);
        // Nothing left behind: the lab and the private directory.
        Assert.Empty(ps.Invoke("Get-GoProxyLab").Output);
        Assert.Empty(WorkstationStopTests.OursAfterTeardown("/netload-"));
    }

    [SkippableFact]
    [Trait("Category", Category.Root)]
    [Trait("Category", Category.Netns)]
    public void Icmp_probe_through_a_veth_is_counted_by_the_peer_namespace_Linux()
    {
        using var a = new NetNamespace("gnt-load");
        using var b = new NetNamespace("gnt-peer");
        var suffix = a.Name[^4..];
        var (va, vb) = ($"vla{suffix}", $"vlb{suffix}");
        Shell.Run("ip", $"link add {va} netns {a.Name} type veth peer name {vb} netns {b.Name}");
        a.Exec($"ip addr add 10.77.9.1/24 dev {va}");
        a.Exec($"ip link set {va} up");
        b.Exec($"ip addr add 10.77.9.2/24 dev {vb}");
        b.Exec($"ip link set {vb} up");
        a.Exec("ip route add default via 10.77.9.2");
        var echoesBefore = Nstat("IcmpInEchos", b);

        var (code, stdout, stderr) = GoNetToolsHost.Run(
            $"$r = Test-NetworkUnderLoad -Adapter {va} -Load Download -Duration 3 -Windows 3; " +
            "'{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $r.Probe, ($r.Adapters -join ','), $r.Baseline.ProbesSent, $r.Baseline.ProbesLost, $r.UnderLoad.ProbesSent, $r.UnderLoad.ProbesLost, $r.DownloadRunsFinished",
            a, timeoutMs: 180_000);
        Assert.True(code == 0, stdout + stderr);
        var fields = stdout.Split('\n').Single(l => l.Contains('|', StringComparison.Ordinal)).Trim().Split('|');
        Assert.Equal($"ICMP echo 10.77.9.2 via {va} every 50 ms", fields[0]);
        Assert.Equal(va, fields[1]);
        var (baseSent, baseLost, loadSent, loadLost) = (Int(fields[2]), Int(fields[3]), Int(fields[4]), Int(fields[5]));
        Assert.InRange(baseSent, 40, 65);
        Assert.InRange(loadSent, 40, 65);
        Assert.Equal((0, 0), (baseLost, loadLost));
        Assert.True(Int(fields[6]) >= 1, "the lab download ran inside the namespace");
        // The peer's kernel answered every probe of both phases, plus those of the warm-up and the drain (3 s + 1 s).
        var echoes = Nstat("IcmpInEchos", b) - echoesBefore;
        Assert.InRange(echoes, baseSent + loadSent, baseSent + loadSent + 4 * 20 + 10);
    }

    [SkippableFact]
    public void Load_runs_that_fail_are_counted_and_reported_as_LoadRunFailed_Linux()
    {
        // A real failure of the real go: a GOROOT that does not exist (the sandbox keeps the caller's GOROOT).
        var (code, stdout, stderr) = GoNetToolsHost.Run(
            "$r = Test-NetworkUnderLoad -Load Compile -Duration 3 -Windows 3 -ErrorVariable problems -ErrorAction SilentlyContinue; " +
            "'{0}|{1}|{2}|{3}|{4}|{5}' -f $r.CompileRunsStarted, $r.CompileRunsFailed, $r.CompileRunsFinished, $problems.Count, " +
            "$problems[0].FullyQualifiedErrorId, $problems[0].CategoryInfo.Category; $problems[0].Exception.Message; exit 0",
            timeoutMs: 120_000, environment: new Dictionary<string, string> { ["GOROOT"] = "/nonexistent-goroot" });
        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fields = lines.Single(l => l.Contains('|', StringComparison.Ordinal)).Split('|');
        // go retries a failing command once a second: several runs over the warm-up and the load phase, all failed.
        Assert.InRange(Int(fields[0]), 2, 20);
        // Every run failed, but the one running when the load stopped (if any) was cut before its outcome: it is started,
        // not failed (a fresh-clone run stopped during one: 8 started, 7 failed).
        Assert.InRange(Int(fields[1]), Int(fields[0]) - 1, Int(fields[0]));
        Assert.Equal("0", fields[2]);
        Assert.Equal(("1", "LoadRunFailed,GoNetTools.Commands.TestNetworkUnderLoadCommand", "InvalidResult"), (fields[3], fields[4], fields[5]));
        Assert.Contains(lines, l => l.Contains("cannot find GOROOT directory", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_target_that_does_not_resolve_and_a_short_duration_are_refused()
    {
        using var ps = new ModuleRunspace();
        var bad = Assert.Single(ps.Invoke("Test-NetworkUnderLoad -Target no-such-host.invalid").AllErrors);
        Assert.Equal("InvalidProbeTarget,GoNetTools.Commands.TestNetworkUnderLoadCommand", bad.FullyQualifiedErrorId);
        var shortRun = Assert.Single(ps.Invoke("Test-NetworkUnderLoad -Duration 1").AllErrors);
        Assert.Equal("InvalidDuration,GoNetTools.Commands.TestNetworkUnderLoadCommand", shortRun.FullyQualifiedErrorId);
        var noAdapter = Assert.Single(ps.Invoke("Test-NetworkUnderLoad -Adapter no-such-nic").AllErrors);
        Assert.Equal("AdapterNotFound,GoNetTools.Commands.TestNetworkUnderLoadCommand", noAdapter.FullyQualifiedErrorId);
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static (long Dropped, long Squeeze) SoftnetTotals()
    {
        long dropped = 0, squeeze = 0;
        foreach (var line in File.ReadAllLines("/proc/net/softnet_stat"))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            dropped += long.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            squeeze += long.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return (dropped, squeeze);
    }

    /// <summary>An absolute counter from nstat (-a absolute, -z zeros too, -s no history update), in a namespace or here.</summary>
    private static long Nstat(string counter, NetNamespace? ns)
    {
        var output = ns is null ? Shell.Run("nstat", $"-asz {counter}") : ns.Exec($"nstat -asz {counter}");
        var line = output.Split('\n').Single(l => l.StartsWith(counter + " ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
