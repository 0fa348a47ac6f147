using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Platform.Linux;
using GoNetTools.Workstation;
using GoNetTools.Workstation.NetworkLoad;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>Parsers, rules of thumb and the load judge, each with the edge cases that decide a verdict.</summary>
public sealed class WorkstationUnitTests
{
    [SkippableFact]
    public void Psi_meminfo_and_softnet_parse_and_refuse_garbage()
    {
        var (some, full) = ProcStatParsers.Pressure("some avg10=1.50 avg60=2.00 avg300=3.25 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.10 total=99\n");
        Assert.Equal((3.25, 123456L, 99L), (some!.Value.Avg300, some.Value.TotalUs, full!.Value.TotalUs));
        Assert.Equal((null, null), ProcStatParsers.Pressure("garbage\nsome avg10=x\n"));
        var mem = ProcStatParsers.Values("MemTotal:       16223640 kB\nSwapTotal: 0 kB\nbroken line\n");
        Assert.Equal((16223640L * 1024, 0L, 2), (mem["MemTotal"], mem["SwapTotal"], mem.Count));
        Assert.Equal(42L, ProcStatParsers.Values("pswpin 42\npswpout 7")["pswpin"]);
        // Column 2 dropped, column 3 time_squeeze, hex, summed over CPUs; short lines are skipped.
        Assert.Equal((0x11L, 0x22L), ProcStatParsers.Softnet("00000100 00000010 00000020 0\n00000200 00000001 00000002 0\nzz\n"));
        Assert.Null(ProcStatParsers.Softnet(""));
    }

    [SkippableFact]
    public void Fwupd_json_lists_devices_with_releases_and_a_broken_reply_is_a_gap()
    {
        var gaps = new List<WorkstationGap>();
        var updates = FwupdUpdates.Parse("{\"Devices\":[{\"Name\":\"UEFI dbx\",\"Version\":\"1\",\"Releases\":[]},{\"Name\":\"Thunderbolt\",\"Vendor\":\"Intel\",\"Version\":\"20.00\",\"Releases\":[{\"Version\":\"22.00\"},{\"Version\":\"21.00\"}]}]}", gaps);
        var update = Assert.Single(updates!);
        Assert.Equal(("Thunderbolt", "Intel", "20.00", "22.00"), (update.Device, update.Vendor, update.CurrentVersion, update.AvailableVersion));
        Assert.Empty(FwupdUpdates.Parse("{}", gaps)!);
        Assert.Null(FwupdUpdates.Parse("No updates available", gaps));
        Assert.Equal(WorkstationArea.Firmware, Assert.Single(gaps).Area);
    }

    [SkippableTheory]
    [InlineData(0.79, GoBuildVerdict.Good)]
    [InlineData(0.8, GoBuildVerdict.Fair)]
    [InlineData(1.5, GoBuildVerdict.Fair)]
    [InlineData(1.51, GoBuildVerdict.Slow)]
    public void Hello_world_rule_of_thumb_thresholds(double seconds, GoBuildVerdict expected)
    {
        var (verdict, reason) = GoBuildJudge.Judge(GoBuildJudge.HelloWorld, 5, TimeSpan.FromSeconds(seconds), new SampleSummary(Array.Empty<MachineSample>()), null, null);
        Assert.Equal(expected, verdict);
        Assert.StartsWith("Rule of thumb: a cold go build of a hello-world under 0.8 s is good, over 1.5 s", reason, StringComparison.Ordinal);
        Assert.Contains($"Measured median {seconds:0.00} s over 5 runs", reason, StringComparison.Ordinal);
        Assert.Contains("not exposed here", reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Build_verdict_names_throttling_and_a_clock_under_base()
    {
        var samples = new[]
        {
            new MachineSample { Offset = TimeSpan.Zero, Phase = "run 1", CpuMHz = new[] { 800.0, 900 }, ThrottleEvents = 10 },
            new MachineSample { Offset = TimeSpan.FromSeconds(1), Phase = "run 1", CpuMHz = new[] { 800.0, 850 }, ThrottleEvents = 14 },
        };
        var (verdict, reason) = GoBuildJudge.Judge(GoBuildJudge.HelloWorld, 3, TimeSpan.FromSeconds(2), new SampleSummary(samples), 1800, 4600);
        Assert.Equal(GoBuildVerdict.Slow, verdict);
        Assert.Contains("The CPU throttled 4 times during the runs.", reason, StringComparison.Ordinal);
        Assert.Contains("median of 825 MHz, under the base clock 1800 MHz", reason, StringComparison.Ordinal);
        Assert.Equal(GoBuildVerdict.NotJudged, GoBuildJudge.Judge("Std", 3, TimeSpan.FromMinutes(3), new SampleSummary(samples), 1800, 4600).Verdict);
    }

    [SkippableFact]
    public void Rules_edges_sata_is_info_almost_full_is_error_acpi_powersave_and_epp_power_warn()
    {
        var sata = new WorkstationStorage { Role = "GOCACHE", MountPoint = "/", Device = "sda", Kind = StorageKind.SataSsd, FreePercent = 4.9, FreeBytes = 1, SizeBytes = 20 };
        var findings = WorkstationRules.Evaluate(new WorkstationFacts { Storage = new[] { sata } });
        Assert.Equal(FindingSeverity.Error, findings.Single(f => f.Code == "StorageLowFree").Severity);
        Assert.Equal(FindingSeverity.Info, findings.Single(f => f.Code == "StorageNotNvme").Severity);
        Assert.Equal(WorkstationVerdict.Unfit, WorkstationRules.Verdict(findings));
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Storage = new[] { new WorkstationStorage { Role = "GOCACHE", MountPoint = "/", Kind = StorageKind.Nvme, FreePercent = 20 } } }));

        var pinned = WorkstationRules.Evaluate(new WorkstationFacts { Cpu = new WorkstationCpu { Driver = "acpi-cpufreq", Governor = "powersave" } });
        Assert.Equal("PowerSavingProfile", Assert.Single(pinned).Code);
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = new WorkstationCpu { Driver = "intel_pstate", Governor = "powersave", EnergyPreference = "balance_power" } }));
        Assert.Single(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = new WorkstationCpu { Driver = "intel_pstate", Governor = "powersave", EnergyPreference = "power" } }));
        // 16 GB installed reads as ~15.5 GiB: no finding; 15 GiB minus a byte: a finding.
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Memory = new WorkstationMemory { TotalBytes = (long)(15.5 * (1L << 30)) } }));
        Assert.Single(WorkstationRules.Evaluate(new WorkstationFacts { Memory = new WorkstationMemory { TotalBytes = (15L << 30) - 1 } }));
        var swapped = WorkstationRules.Evaluate(new WorkstationFacts { Memory = new WorkstationMemory { TotalBytes = 32L << 30, ProbeCommand = "go list -deps std", ProbeSwapIns = 120 } });
        Assert.Equal("SwapDuringGoList", Assert.Single(swapped).Code);
    }

    [SkippableFact]
    public void Rss_rule_fires_only_with_a_known_hardware_maximum()
    {
        NicAdapter Nic(int? combined, int? max) => new() { Name = "eth0", Kind = NicKind.Ethernet, Status = NicStatus.Up, IsPhysical = true, RxQueues = 2, CombinedChannels = combined, MaxCombinedChannels = max };
        var cpu = new WorkstationCpu { LogicalCpus = 16 };
        Assert.Equal("RssQueuesBelowCores", Assert.Single(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = cpu, Adapters = new[] { Nic(4, 63) } })).Code);
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = cpu, Adapters = new[] { Nic(4, 4) } }));
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = cpu, Adapters = new[] { Nic(null, null) } }));
        Assert.Empty(WorkstationRules.Evaluate(new WorkstationFacts { Cpu = cpu, Adapters = new[] { Nic(16, 63) } }));
    }

    [SkippableFact]
    public void Load_judge_needs_every_window_beyond_the_baseline_and_counts_beyond_three_sigma()
    {
        NetworkLoadPhase Phase(double p99, long squeeze, long lost, double? mhz) => new()
        {
            TemperatureMaxC = mhz is null ? null : mhz < 2500 ? 95 : 51,
            LatencyP50 = TimeSpan.FromMilliseconds(p99 / 2), LatencyP99 = TimeSpan.FromMilliseconds(p99), SoftnetTimeSqueeze = squeeze, ProbesLost = (int)lost,
            SoftnetDropped = 0, NicRxDropped = 0, NicRxMissed = 0, TcpRetransmits = 0, CpuMHzMean = mhz,
        };
        var baseWindows = new[] { new WindowFigures(0.1, 1.0, 3000, 50), new WindowFigures(0.1, 1.4, 3010, 51), new WindowFigures(0.1, 1.2, 2990, 50) };
        var separated = new[] { new WindowFigures(0.3, 2.0, 2000, 90), new WindowFigures(0.3, 3.0, 2100, 92), new WindowFigures(0.3, 1.5, 1900, 95) };
        var overlapping = new[] { new WindowFigures(0.3, 2.0, 3000, 50), new WindowFigures(0.3, 1.3, 3000, 50), new WindowFigures(0.3, 5.0, 3000, 50) };

        var changes = NetworkLoadJudge.Changes(Phase(1.4, 0, 0, 3000), Phase(3.0, 4, 3, 2000), baseWindows, separated);
        Assert.True(changes.Single(c => c.Metric == "LatencyP99Ms").Changed);
        Assert.Equal(0.4, changes.Single(c => c.Metric == "LatencyP99Ms").Noise);
        Assert.True(changes.Single(c => c.Metric == "SoftnetTimeSqueeze").Changed); // 4 > 0 + 3
        Assert.False(changes.Single(c => c.Metric == "ProbesLost").Changed);          // 3 is not > 3
        var chain = NetworkLoadJudge.Chain(changes);
        Assert.Equal(new[] { ChainLinkStatus.Supported, ChainLinkStatus.Supported, ChainLinkStatus.Supported, ChainLinkStatus.NotSeen }, chain.Select(l => l.Status));
        Assert.Contains("The data supports: heat, clock, softirq.", NetworkLoadJudge.Conclusion("x", changes, chain), StringComparison.Ordinal);

        var noisy = NetworkLoadJudge.Changes(Phase(1.4, 0, 0, 3000), Phase(5.0, 0, 0, 3000), baseWindows, overlapping);
        Assert.False(noisy.Single(c => c.Metric == "LatencyP99Ms").Changed);
        var vm = NetworkLoadJudge.Chain(NetworkLoadJudge.Changes(Phase(1, 0, 0, null), Phase(1, 0, 0, null),
            new[] { new WindowFigures(0.1, 1, null, null) }, new[] { new WindowFigures(0.1, 1, null, null) }));
        Assert.Equal((ChainLinkStatus.NotExposed, ChainLinkStatus.NotExposed), (vm[0].Status, vm[1].Status));
    }
}
