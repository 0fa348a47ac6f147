using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform.MacOS;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Workstation;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>The Windows CIM mapping and the macOS parsers on their fixtures (tests/fixtures/workstation/windows, macos).</summary>
public sealed class WindowsMacWorkstationTests
{
    private static List<IReadOnlyDictionary<string, object?>> Cim(string name)
    {
        using var file = File.OpenRead(Repo.Fixture("workstation", "windows", name + ".json"));
        return CimRecordJson.Load(file);
    }

    private static string Mac(string name) => File.ReadAllText(Repo.Fixture("workstation", "macos", name));

    [SkippableFact]
    public void Windows_cpu_from_processor_perf_counters_power_plan_and_acpi_thermal_zone()
    {
        var gaps = new List<WorkstationGap>();
        var cpu = WindowsWorkstationMapper.Cpu(Cim("Win32_Processor"), Cim("Win32_PerfFormattedData_Counters_ProcessorInformation"),
            Cim("Win32_PowerPlan"), Cim("MSAcpi_ThermalZoneTemperature"), gaps);
        Assert.Equal(("11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", 4, 8, 3000.0), (cpu.Model, cpu.Cores, cpu.LogicalCpus, cpu.BaseMHz));
        // ProcessorFrequency × % Processor Performance: 30 % of 3000 MHz; the _Total rows are not CPUs.
        Assert.Equal(new[] { 900.0, 930, 1350, 900, 900, 900, 1860, 900 }, cpu.CurrentMHz);
        Assert.Equal("power plan Balanced", cpu.Governor);
        Assert.Equal((85.0, 95.0), (cpu.TemperatureC, cpu.ThrottleTemperatureC)); // tenths of a kelvin with 2732 as 0 °C
        Assert.Null(cpu.MaxMHz);
        Assert.Contains(gaps, g => g.Item == "highest (boost) clock");
        Assert.DoesNotContain(gaps, g => g.Item == "CPU temperature");
        var without = new List<WorkstationGap>();
        WindowsWorkstationMapper.Cpu(Cim("Win32_Processor"), null, null, null, without);
        Assert.Contains(without, g => g.Item == "CPU temperature");
        Assert.Contains(without, g => g.Item == "CPU frequency per core");
    }

    [SkippableFact]
    public void Windows_memory_storage_and_sample()
    {
        var gaps = new List<WorkstationGap>();
        var memory = WindowsWorkstationMapper.Memory(Cim("Win32_OperatingSystem")[0], Cim("Win32_PerfRawData_PerfOS_Memory")[0], gaps);
        Assert.Equal((16459212L * 1024, 812345L), (memory.TotalBytes, memory.SwapInsSinceBoot!.Value));
        Assert.Equal(2490368L * 1024, memory.SwapTotalBytes);

        var (partitions, disks, volumes) = (Cim("MSFT_Partition"), Cim("MSFT_PhysicalDisk"), Cim("Win32_LogicalDisk"));
        var c = WindowsWorkstationMapper.Storage("GOCACHE", @"C:\Users\dev\AppData\Local\go-build", partitions, disks, volumes, gaps);
        Assert.Equal((StorageKind.Nvme, "disk 0", "SAMSUNG MZVL2512HCJQ-00B00", @"C:\", 15.9), (c.Kind, c.Device, c.Model, c.MountPoint, c.FreePercent));
        var d = WindowsWorkstationMapper.Storage("GOMODCACHE", @"D:\go\pkg\mod", partitions, disks, volumes, gaps);
        Assert.Equal((StorageKind.Rotational, "NTFS"), (d.Kind, d.FileSystem));
        var share = WindowsWorkstationMapper.Storage("GOMODCACHE", @"\\nas\share\go", partitions, disks, volumes, gaps);
        Assert.Equal(StorageKind.Unknown, share.Kind);
        Assert.Contains(gaps, g => g.Item == "storage device behind GOMODCACHE");
        var findings = WorkstationRules.Evaluate(new WorkstationFacts { Storage = new[] { c, d } });
        Assert.Equal(new[] { "StorageLowFree", "StorageNotNvme" }, findings.Select(f => f.Code).OrderBy(x => x, System.StringComparer.Ordinal));

        Assert.Equal(StorageKind.Emmc, WindowsWorkstationMapper.Kind(13, 0));
        Assert.Equal(StorageKind.SataSsd, WindowsWorkstationMapper.Kind(11, 4));
        Assert.Equal(StorageKind.Virtual, WindowsWorkstationMapper.Kind(15, 0));
        Assert.Equal(StorageKind.Usb, WindowsWorkstationMapper.Kind(7, 4));

        var sample = WindowsWorkstationMapper.Sample(System.TimeSpan.FromSeconds(1), "run 1", Cim("Win32_PerfFormattedData_Counters_ProcessorInformation"),
            Cim("Win32_PerfRawData_PerfOS_Memory")[0], 42, Cim("Win32_PerfRawData_Tcpip_NetworkInterface"),
            new HashSet<string> { WindowsWorkstationMapper.PerfInstanceName("Intel(R) Ethernet Controller I225-V") }, Cim("MSAcpi_ThermalZoneTemperature"));
        Assert.Equal((17L, 812345L, 42L, 8), (sample.NicRxDropped!.Value, sample.SwapIns!.Value, sample.TcpRetransmits!.Value, sample.CpuMHz!.Length));
    }

    [SkippableFact]
    public void Windows_adapter_pcie_link_and_numa_node_from_hardware_info()
    {
        var hardware = Cim("MSFT_NetAdapterHardwareInfoSettingData");
        var adapter = new Dictionary<string, object?> { ["Name"] = "Ethernet 2", ["InterfaceIndex"] = 7L, ["HardwareInterface"] = true, ["InterfaceType"] = 6L, ["InterfaceOperationalStatus"] = 1L };
        var x710 = WindowsNicMapper.Adapter(adapter, null, hardware[0], System.Array.Empty<string>());
        Assert.Equal((4, 8, 8.0, 8.0, 1, "0000:3b:00.0"), (x710.PcieLinkWidth, x710.PcieMaxLinkWidth, x710.PcieLinkSpeedGTps, x710.PcieMaxLinkSpeedGTps, x710.NumaNode, x710.BusInfo));
        var wifi = WindowsNicMapper.Adapter(adapter, null, hardware[1], System.Array.Empty<string>());
        Assert.Null(wifi.PcieLinkWidth);
        Assert.Null(wifi.PcieLinkSpeedGTps);
        Assert.Null(wifi.NumaNode);
        var finding = Assert.Single(WorkstationRules.Evaluate(new WorkstationFacts { Adapters = new[] { x710 } }));
        Assert.Equal("PcieLinkDowngraded", finding.Code);
    }

    [SkippableFact]
    public void Mac_intel_and_apple_silicon_cpu_memory_and_swap()
    {
        var gaps = new List<WorkstationGap>();
        var intel = MacWorkstationParsers.Sysctl(Mac("sysctl-intel.txt"));
        var cpu = MacWorkstationParsers.Cpu(intel, gaps);
        Assert.Equal(("Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz", 8, 16, 2300.0), (cpu.Model, cpu.Cores, cpu.LogicalCpus, cpu.BaseMHz));
        Assert.DoesNotContain(gaps, g => g.Item == "CPU frequency");
        var memory = MacWorkstationParsers.Memory(intel, MacWorkstationParsers.VmStatSwapIns(Mac("vm_stat.txt")), gaps);
        Assert.Equal((34359738368L, 2048L << 20, 512345L), (memory.TotalBytes, memory.SwapTotalBytes!.Value, memory.SwapInsSinceBoot!.Value));
        Assert.Equal((long)(1024.5 * (1 << 20)), memory.SwapUsedBytes);

        var appleGaps = new List<WorkstationGap>();
        var apple = MacWorkstationParsers.Sysctl(Mac("sysctl-apple-silicon.txt"));
        var m2 = MacWorkstationParsers.Cpu(apple, appleGaps);
        Assert.Equal(("Apple M2", (double?)null), (m2.Model, m2.BaseMHz));
        Assert.Contains(appleGaps, g => g.Item == "CPU frequency");
        Assert.False(apple.ContainsKey("sysctl"));
        var small = MacWorkstationParsers.Memory(apple, null, appleGaps);
        Assert.Equal("MemoryBelowFloor", Assert.Single(WorkstationRules.Evaluate(new WorkstationFacts { Memory = small })).Code);
    }

    [SkippableFact]
    public void Mac_storage_by_volume_and_protocol()
    {
        var gaps = new List<WorkstationGap>();
        var json = Mac("system_profiler-SPStorageDataType.json");
        var cache = MacWorkstationParsers.Storage("GOCACHE", "/Users/dev/Library/Caches/go-build", json, gaps);
        Assert.Equal(("/", StorageKind.Nvme, "APPLE SSD AP0256Z", 25.0), (cache.MountPoint, cache.Kind, cache.Model, cache.FreePercent));
        var data = MacWorkstationParsers.Storage("GOMODCACHE", "/System/Volumes/Data/Users/dev/go/pkg/mod", json, gaps);
        Assert.Equal("/System/Volumes/Data", data.MountPoint);
        var usb = MacWorkstationParsers.Storage("GOMODCACHE", "/Volumes/Backup/go/pkg/mod", json, gaps);
        Assert.Equal((StorageKind.Usb, "disk5s2"), (usb.Kind, usb.Device));
        Assert.Empty(gaps);
        Assert.Equal(StorageKind.SataSsd, MacWorkstationParsers.Kind("SATA", "ssd"));
        Assert.Equal(StorageKind.Rotational, MacWorkstationParsers.Kind("SATA", "rotational"));
    }
}
