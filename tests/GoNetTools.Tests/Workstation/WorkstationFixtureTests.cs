using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>
/// Test-GoWorkstation on the fixture trees (tests/fixtures/workstation/linux, see its README): each machine gives
/// exactly the findings it was built for, the healthy one none, and this VM's own recording gives none but says
/// what a VM does not expose.
/// </summary>
public sealed class WorkstationFixtureTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    internal static string Tree(string name) => Repo.Fixture("workstation", "linux", name);

    private WorkstationReport Report(string tree)
    {
        var result = _ps.Invoke("Test-GoWorkstation -NoProbe", new Dictionary<string, object?> { ["GoNetToolsSystemRoot"] = Tree(tree) });
        Assert.Empty(result.AllErrors);
        Assert.Equal("GoNetTools.WorkstationReport", result.Output.Single().TypeNames[0]);
        return result.Objects<WorkstationReport>().Single();
    }

    [SkippableTheory]
    [InlineData("throttling-laptop", "FirmwareUpdatePending,RunningHot,ThrottlingSeen")]
    [InlineData("numa-server", "NicIrqOffNode,PcieLinkDowngraded")]
    [InlineData("emmc-laptop", "MemoryBelowFloor,StorageLowFree,StorageNotNvme")]
    [InlineData("healthy", "")]
    [InlineData("vm-recorded", "")]
    public void Each_tree_gives_exactly_its_findings_Linux(string tree, string expected)
    {
        var report = Report(tree);
        Assert.Equal(expected, string.Join(",", report.Findings.Select(f => f.Code).OrderBy(c => c, StringComparer.Ordinal)));
        Assert.Equal(expected.Length == 0 ? WorkstationVerdict.Fit : WorkstationVerdict.Limited, report.Verdict);
        Assert.All(report.Findings, f => Assert.NotEmpty(f.Evidence));
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Rule)));
    }

    [SkippableFact]
    public void Throttling_laptop_figures_come_from_its_counters_and_sensors_Linux()
    {
        var report = Report("throttling-laptop");
        // 4 cores (each counted once, though two threads show it) + the package: 1523 + 1611 + 1497 + 1580 + 4821.
        Assert.Equal(11032, report.Cpu.ThrottleEvents);
        Assert.Equal(96, report.Cpu.TemperatureC);
        Assert.Equal(100, report.Cpu.ThrottleTemperatureC);
        Assert.Equal(1800, report.Cpu.BaseMHz);
        Assert.Equal(4600, report.Cpu.MaxMHz);
        Assert.Equal(4, report.Cpu.Cores);
        Assert.Equal(8, report.Cpu.LogicalCpus);
        Assert.Equal(800, report.Cpu.CurrentMHz![0]);
        var throttled = report.Findings.Single(f => f.Code == "ThrottlingSeen");
        Assert.Equal(11032L, throttled.Evidence["ThrottleEvents"]);
        Assert.Contains("Rule of thumb", throttled.Rule, StringComparison.Ordinal);
        var firmware = report.Findings.Single(f => f.Code == "FirmwareUpdatePending");
        Assert.Equal("System Firmware", firmware.Subject);
        Assert.Equal("1.24.0", firmware.Evidence["AvailableVersion"]);
        // The dbx device has no release: nothing pending for it.
        Assert.Equal(new[] { "System Firmware" }, report.FirmwareUpdates.Select(u => u.Device));
        Assert.Equal(StorageKind.Nvme, report.Storage[0].Kind);
        Assert.Equal("/home/dev/.cache/go-build", report.Storage[0].Path);
    }

    [SkippableFact]
    public void Numa_server_names_link_width_and_the_nodes_Linux()
    {
        var report = Report("numa-server");
        var eth0 = Assert.Single(report.Adapters);
        Assert.Equal((4, 8, 8.0, 8.0, 1), (eth0.PcieLinkWidth, eth0.PcieMaxLinkWidth, eth0.PcieLinkSpeedGTps, eth0.PcieMaxLinkSpeedGTps, eth0.NumaNode));
        var off = report.Findings.Single(f => f.Code == "NicIrqOffNode");
        Assert.Equal(1, off.Evidence["AdapterNumaNode"]);
        Assert.Equal("0", off.Evidence["CpuNumaNodes"]);
        Assert.Equal("0-7", off.Evidence["Cpus"]);
        Assert.Contains("x4", report.Findings.Single(f => f.Code == "PcieLinkDowngraded").Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Emmc_laptop_reports_memory_and_storage_figures_Linux()
    {
        var report = Report("emmc-laptop");
        Assert.True(report.Memory.TotalBytes < (15L << 30));
        Assert.Equal(184233, report.Memory.SwapInsSinceBoot);
        Assert.Equal(6.1, report.Memory.PressureSomePercent);
        Assert.All(report.Storage, s => Assert.Equal((StorageKind.Emmc, "mmcblk0", "DA4064", 12.0), (s.Kind, s.Device, s.Model, s.FreePercent)));
        Assert.Equal(FindingSeverity.Warning, report.Findings.Single(f => f.Code == "StorageLowFree").Severity);
        // One finding for both caches on one file system.
        Assert.Equal("GOCACHE and GOMODCACHE", report.Findings.Single(f => f.Code == "StorageNotNvme").Subject);
    }

    [SkippableFact]
    public void Healthy_tree_reads_btrfs_through_its_source_and_amd_pstate_Linux()
    {
        var report = Report("healthy");
        Assert.All(report.Storage, s => Assert.Equal((StorageKind.Nvme, "nvme0n1", "btrfs"), (s.Kind, s.Device, s.FileSystem)));
        Assert.Equal("/home", report.Storage[0].MountPoint);
        Assert.Equal(3800, report.Cpu.BaseMHz);
        Assert.Equal(45.25, report.Cpu.TemperatureC);
        Assert.Null(report.Cpu.ThrottleTemperatureC);
        Assert.Null(report.Cpu.ThrottleEvents);
        Assert.Contains(report.NotExposed, g => g.Item == "CPU thermal throttle counters");
        var nic = Assert.Single(report.Adapters);
        Assert.Equal((1, 1, 5.0, 5.0), (nic.PcieLinkWidth, nic.PcieMaxLinkWidth, nic.PcieLinkSpeedGTps, nic.PcieMaxLinkSpeedGTps));
        Assert.Empty(report.FirmwareUpdates);
    }

    [SkippableFact]
    public void Recorded_vm_says_what_it_does_not_expose_never_guessing_Linux()
    {
        var report = Report("vm-recorded");
        Assert.StartsWith("virtual machine", report.Virtualization, StringComparison.Ordinal);
        Assert.Null(report.Cpu.CurrentMHz);
        Assert.Null(report.Cpu.TemperatureC);
        Assert.Null(report.Cpu.ThrottleEvents);
        Assert.Equal(StorageKind.Virtual, report.Storage[0].Kind);
        var eth0 = Assert.Single(report.Adapters);
        Assert.Null(eth0.PcieLinkWidth);
        Assert.Null(eth0.NumaNode);
        var items = report.NotExposed.Select(g => g.Item).ToList();
        Assert.Contains("CPU frequency (current, base, max), governor", items);
        Assert.Contains("CPU temperature", items);
        Assert.Contains("storage device of /", items);
        Assert.Contains("PCIe link of eth0", items);
        Assert.Contains("pending firmware updates", items);
        Assert.All(report.NotExposed, g => Assert.False(string.IsNullOrWhiteSpace(g.Reason)));
        Assert.Contains("virtual machine", report.NotExposed.Single(g => g.Item.StartsWith("CPU frequency", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Get_NicInterrupt_flags_irqs_on_another_node_than_their_adapter_Linux()
    {
        var server = _ps.Invoke("Get-NicInterrupt -Adapter eth0", new Dictionary<string, object?> { ["GoNetToolsSystemRoot"] = Tree("numa-server") });
        Assert.Empty(server.AllErrors);
        var irqs = server.Objects<NicInterrupt>().ToList();
        Assert.Equal(17, irqs.Count);
        Assert.All(irqs, i => Assert.Equal((1, true), (i.AdapterNumaNode, i.OffNode)));
        Assert.All(irqs, i => Assert.Equal(new[] { 0 }, i.CpuNumaNodes));
        // Positive control: the healthy desktop has one node; the old NIC tree no node information at all.
        var healthy = _ps.Invoke("Get-NicInterrupt", new Dictionary<string, object?> { ["GoNetToolsSystemRoot"] = Tree("healthy") });
        Assert.All(healthy.Objects<NicInterrupt>(), i => Assert.Null(i.OffNode));
        var nicServer = _ps.Invoke("Get-NicInterrupt -Adapter eth0", new Dictionary<string, object?> { ["GoNetToolsSystemRoot"] = Repo.Fixture("nic", "server") });
        Assert.All(nicServer.Objects<NicInterrupt>(), i => Assert.Null(i.CpuNumaNodes));
        Assert.NotEmpty(nicServer.Objects<NicInterrupt>());
    }
}
