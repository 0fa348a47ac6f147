using System;

namespace GoNetTools;

/// <summary>What Test-GoWorkstation found on this machine: the facts per area, the findings, and what is not exposed here.</summary>
public sealed class WorkstationReport
{
    /// <summary>The machine's name.</summary>
    public string ComputerName { get; init; } = "";
    /// <summary>Operating system and kernel.</summary>
    public string OperatingSystem { get; init; } = "";
    /// <summary>"virtual machine (…)" when the OS runs under a hypervisor, null on bare metal or when unknown.</summary>
    public string? Virtualization { get; init; }
    /// <summary>Fit, Limited or Unfit, from the most severe finding.</summary>
    public WorkstationVerdict Verdict { get; init; }
    /// <summary>Processor facts.</summary>
    public WorkstationCpu Cpu { get; init; } = new();
    /// <summary>Memory facts, with the swap-ins of the go list probe when it ran.</summary>
    public WorkstationMemory Memory { get; init; } = new();
    /// <summary>The storage behind GOCACHE and GOMODCACHE (one entry per role).</summary>
    public WorkstationStorage[] Storage { get; init; } = Array.Empty<WorkstationStorage>();
    /// <summary>The physical network adapters, with PCIe link and NUMA node.</summary>
    public NicAdapter[] Adapters { get; init; } = Array.Empty<NicAdapter>();
    /// <summary>Devices fwupd has a newer firmware for (nothing is installed).</summary>
    public WorkstationFirmwareUpdate[] FirmwareUpdates { get; init; } = Array.Empty<WorkstationFirmwareUpdate>();
    /// <summary>With -IncludeBuild: the cold hello-world build figures of Measure-GoBuild.</summary>
    public GoBuildMeasurement? Build { get; init; }
    /// <summary>The rules that fired, most severe first.</summary>
    public WorkstationFinding[] Findings { get; init; } = Array.Empty<WorkstationFinding>();
    /// <summary>What this machine does not expose, and why.</summary>
    public WorkstationGap[] NotExposed { get; init; } = Array.Empty<WorkstationGap>();
    /// <summary>Where the facts were read: "/" or a fixture root.</summary>
    public string Source { get; init; } = "/";
}

/// <summary>The processor as the OS reports it.</summary>
public sealed class WorkstationCpu
{
    /// <summary>Model name (/proc/cpuinfo, Win32_Processor.Name, machdep.cpu.brand_string).</summary>
    public string? Model { get; init; }
    /// <summary>Physical cores.</summary>
    public int? Cores { get; init; }
    /// <summary>Logical CPUs online.</summary>
    public int LogicalCpus { get; init; }
    /// <summary>Base (nominal) clock in MHz, when exposed.</summary>
    public double? BaseMHz { get; init; }
    /// <summary>Highest clock in MHz (turbo/boost), when exposed.</summary>
    public double? MaxMHz { get; init; }
    /// <summary>Current clock per logical CPU in MHz, when exposed.</summary>
    public double[]? CurrentMHz { get; init; }
    /// <summary>Frequency driver (intel_pstate, amd-pstate-epp, acpi-cpufreq).</summary>
    public string? Driver { get; init; }
    /// <summary>Frequency governor(s) in use (powersave, performance, schedutil).</summary>
    public string? Governor { get; init; }
    /// <summary>Energy/performance preference (performance, balance_performance, balance_power, power).</summary>
    public string? EnergyPreference { get; init; }
    /// <summary>Thermal throttle events since boot (core plus package counters), when exposed.</summary>
    public long? ThrottleEvents { get; init; }
    /// <summary>Hottest CPU temperature now, °C, when exposed.</summary>
    public double? TemperatureC { get; init; }
    /// <summary>The temperature at which the hottest sensor starts throttling (passive trip point), °C.</summary>
    public double? ThrottleTemperatureC { get; init; }
}

/// <summary>Memory and swap, with what `go list -deps std` did to swap when the probe ran.</summary>
public sealed class WorkstationMemory
{
    /// <summary>Usable memory (MemTotal; a little under the installed size).</summary>
    public long TotalBytes { get; init; }
    /// <summary>Memory available without swapping (MemAvailable).</summary>
    public long? AvailableBytes { get; init; }
    /// <summary>Swap configured.</summary>
    public long? SwapTotalBytes { get; init; }
    /// <summary>Swap in use now.</summary>
    public long? SwapUsedBytes { get; init; }
    /// <summary>Pages swapped in since boot (pswpin).</summary>
    public long? SwapInsSinceBoot { get; init; }
    /// <summary>Share of the last 5 minutes some task stalled on memory (PSI memory some avg300), percent.</summary>
    public double? PressureSomePercent { get; init; }
    /// <summary>The probe run: "go list -deps std", or null when it did not run.</summary>
    public string? ProbeCommand { get; init; }
    /// <summary>Pages swapped in while the probe ran.</summary>
    public long? ProbeSwapIns { get; init; }
    /// <summary>How long the probe took.</summary>
    public TimeSpan? ProbeDuration { get; init; }
}

/// <summary>What kind of storage device holds a folder.</summary>
public enum StorageKind
{
    /// <summary>Not known.</summary>
    Unknown,
    /// <summary>NVMe SSD.</summary>
    Nvme,
    /// <summary>SATA or SAS SSD (non-rotational, not NVMe).</summary>
    SataSsd,
    /// <summary>A spinning disk.</summary>
    Rotational,
    /// <summary>Soldered eMMC flash.</summary>
    Emmc,
    /// <summary>An SD card.</summary>
    SdCard,
    /// <summary>A USB drive.</summary>
    Usb,
    /// <summary>A virtual disk (virtio, Xen, Hyper-V): the host's storage behind it is not exposed.</summary>
    Virtual,
    /// <summary>Memory (tmpfs, zram, ramdisk).</summary>
    Memory,
    /// <summary>A network file system.</summary>
    Network,
}

/// <summary>The device and free space behind GOCACHE or GOMODCACHE.</summary>
public sealed class WorkstationStorage
{
    /// <summary>GOCACHE or GOMODCACHE.</summary>
    public string Role { get; init; } = "";
    /// <summary>The folder (go env).</summary>
    public string Path { get; init; } = "";
    /// <summary>The mount point holding it.</summary>
    public string? MountPoint { get; init; }
    /// <summary>File system type.</summary>
    public string? FileSystem { get; init; }
    /// <summary>The disk (nvme0n1, mmcblk0, sda, vda; Windows disk number; macOS disk0).</summary>
    public string? Device { get; init; }
    /// <summary>What kind of device it is.</summary>
    public StorageKind Kind { get; init; }
    /// <summary>The device's model, when exposed.</summary>
    public string? Model { get; init; }
    /// <summary>File system size.</summary>
    public long? SizeBytes { get; init; }
    /// <summary>Space available to the user.</summary>
    public long? FreeBytes { get; init; }
    /// <summary>FreeBytes ÷ SizeBytes × 100.</summary>
    public double? FreePercent { get; init; }
}

/// <summary>A device fwupd has newer firmware for.</summary>
public sealed class WorkstationFirmwareUpdate
{
    /// <summary>Device name as fwupd shows it.</summary>
    public string Device { get; init; } = "";
    /// <summary>Vendor.</summary>
    public string? Vendor { get; init; }
    /// <summary>Installed version.</summary>
    public string? CurrentVersion { get; init; }
    /// <summary>Newest version offered.</summary>
    public string? AvailableVersion { get; init; }
}
