using System;
using System.Collections.Generic;
using System.Linq;
using static GoNetTools.Platform.Windows.WindowsNicMapper;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Turns CIM instances into the workstation models. Pure: takes name → value dictionaries (live through
/// <see cref="CimQuery"/>, recorded through <see cref="CimRecordJson"/>). Classes: Win32_Processor,
/// Win32_PerfFormattedData_Counters_ProcessorInformation (ProcessorFrequency × PercentProcessorPerformance ÷ 100 is
/// the clock now), MSAcpi_ThermalZoneTemperature (tenths of a kelvin), Win32_PowerPlan, Win32_OperatingSystem (KB),
/// Win32_PerfRawData_PerfOS_Memory, MSFT_Partition, MSFT_PhysicalDisk (BusType, MediaType), Win32_LogicalDisk and
/// Win32_PerfRawData_Tcpip_NetworkInterface.
/// </summary>
internal static class WindowsWorkstationMapper
{
    public static WorkstationCpu Cpu(IReadOnlyList<IReadOnlyDictionary<string, object?>> processors, IReadOnlyList<IReadOnlyDictionary<string, object?>>? perf,
        IReadOnlyList<IReadOnlyDictionary<string, object?>>? powerPlans, IReadOnlyList<IReadOnlyDictionary<string, object?>>? thermal, List<WorkstationGap> gaps)
    {
        var (temperature, trip) = Temperature(thermal);
        if (temperature is null)
        {
            gaps.Add(Gap(WorkstationArea.Cpu, "CPU temperature", "MSAcpi_ThermalZoneTemperature is not exposed on this machine (most PCs report no ACPI thermal zone to WMI)"));
        }
        gaps.Add(Gap(WorkstationArea.Cpu, "highest (boost) clock", "Windows reports only the rated clock (Win32_Processor.MaxClockSpeed); boost shows as % Processor Performance above 100"));
        gaps.Add(Gap(WorkstationArea.Cpu, "CPU thermal throttle counters", "Windows keeps no throttle event count; Processor Information's % Performance Limit is the nearest figure"));
        var mhz = CurrentMHz(perf);
        if (mhz is null)
        {
            gaps.Add(Gap(WorkstationArea.Cpu, "CPU frequency per core", "the Processor Information performance counters are not available"));
        }
        return new WorkstationCpu
        {
            Model = processors.Select(p => Text(p, "Name")).FirstOrDefault(n => n is not null)?.Trim(),
            Cores = processors.Count == 0 ? null : (int)processors.Sum(p => Long(p, "NumberOfCores") ?? 0),
            LogicalCpus = (int)processors.Sum(p => Long(p, "NumberOfLogicalProcessors") ?? 0),
            BaseMHz = processors.Select(p => Long(p, "MaxClockSpeed")).FirstOrDefault(v => v is > 0),
            CurrentMHz = mhz,
            Governor = powerPlans?.FirstOrDefault(p => Bool(p, "IsActive") == true) is { } plan ? "power plan " + Text(plan, "ElementName") : null,
            TemperatureC = temperature,
            ThrottleTemperatureC = trip,
        };
    }

    /// <summary>Clock per logical processor ("group,number" instances; the _Total rows are skipped), MHz.</summary>
    public static double[]? CurrentMHz(IReadOnlyList<IReadOnlyDictionary<string, object?>>? perf)
    {
        var cores = (perf ?? Array.Empty<IReadOnlyDictionary<string, object?>>())
            .Where(p => Text(p, "Name") is { } name && !name.Contains("_Total", StringComparison.Ordinal))
            .Select(p => (Name: Text(p, "Name")!, Mhz: Long(p, "ProcessorFrequency") * Long(p, "PercentProcessorPerformance") / 100.0))
            .OrderBy(p => Key(p.Name))
            .ToList();
        return cores.Count == 0 || cores.Any(c => c.Mhz is null) ? null : cores.Select(c => c.Mhz!.Value).ToArray();
    }

    /// <summary>The hottest ACPI thermal zone in °C and its passive trip point (both tenths of a kelvin in CIM).</summary>
    public static (double? Celsius, double? Trip) Temperature(IReadOnlyList<IReadOnlyDictionary<string, object?>>? zones)
    {
        var hottest = zones?.Where(z => Long(z, "CurrentTemperature") is > 0).OrderByDescending(z => Long(z, "CurrentTemperature")).FirstOrDefault();
        return hottest is null ? (null, null)
            : (Kelvin(Long(hottest, "CurrentTemperature")), Long(hottest, "PassiveTripPoint") is > 0 and var p ? Kelvin(p) : Kelvin(Long(hottest, "CriticalTripPoint")));
    }

    public static WorkstationMemory Memory(IReadOnlyDictionary<string, object?> os, IReadOnlyDictionary<string, object?>? memoryCounters, List<WorkstationGap> gaps)
    {
        gaps.Add(Gap(WorkstationArea.Memory, "memory pressure (PSI)", "pressure stall information is a Linux kernel feature"));
        var pagingTotal = Long(os, "SizeStoredInPagingFiles") * 1024;
        return new WorkstationMemory
        {
            TotalBytes = (Long(os, "TotalVisibleMemorySize") ?? 0) * 1024,
            AvailableBytes = Long(os, "FreePhysicalMemory") * 1024,
            SwapTotalBytes = pagingTotal,
            SwapUsedBytes = pagingTotal - Long(os, "FreeSpaceInPagingFiles") * 1024,
            SwapInsSinceBoot = memoryCounters is null ? null : Long(memoryCounters, "PagesInputPersec"),
        };
    }

    public static WorkstationStorage Storage(string role, string path, IReadOnlyList<IReadOnlyDictionary<string, object?>> partitions,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> disks, IReadOnlyList<IReadOnlyDictionary<string, object?>> volumes, List<WorkstationGap> gaps)
    {
        var letter = path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]) ? char.ToUpperInvariant(path[0]) : '\0';
        var partition = letter == '\0' ? null : partitions.FirstOrDefault(p => DriveLetter(p) == letter);
        var disk = partition is null ? null : disks.FirstOrDefault(d => Text(d, "DeviceId") == Long(partition, "DiskNumber")?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var volume = volumes.FirstOrDefault(v => string.Equals(Text(v, "DeviceID"), $"{letter}:", StringComparison.OrdinalIgnoreCase));
        var kind = disk is null ? StorageKind.Unknown : Kind(Long(disk, "BusType"), Long(disk, "MediaType"));
        if (disk is null)
        {
            gaps.Add(Gap(WorkstationArea.Storage, $"storage device behind {role}", $"no MSFT_Partition with drive letter {letter} (a network share, or a volume without a letter)"));
        }
        else if (kind is StorageKind.Virtual or StorageKind.Unknown)
        {
            gaps.Add(Gap(WorkstationArea.Storage, $"storage device behind {role}", kind == StorageKind.Virtual
                ? "a virtual disk (BusType Virtual/File Backed Virtual): the host's storage behind it is not exposed here"
                : $"MSFT_PhysicalDisk reports BusType {Long(disk, "BusType")} and MediaType {Long(disk, "MediaType")} (RAID, Storage Spaces or unspecified)"));
        }
        var size = volume is null ? null : Long(volume, "Size");
        var free = volume is null ? null : Long(volume, "FreeSpace");
        return new WorkstationStorage
        {
            Role = role,
            Path = path,
            MountPoint = letter == '\0' ? null : $"{letter}:\\",
            FileSystem = volume is null ? null : Text(volume, "FileSystem"),
            Device = disk is null ? null : "disk " + Text(disk, "DeviceId"),
            Kind = kind,
            Model = disk is null ? null : Text(disk, "FriendlyName") ?? Text(disk, "Model"),
            SizeBytes = size,
            FreeBytes = free,
            FreePercent = size is > 0 && free is not null ? Math.Round(100.0 * free.Value / size.Value, 1) : null,
        };
    }

    /// <summary>MSFT_PhysicalDisk BusType (17 NVMe, 11 SATA, 10 SAS, 7 USB, 12 SD, 13 MMC, 14/15 virtual) then MediaType (3 HDD, 4 SSD).</summary>
    public static StorageKind Kind(long? busType, long? mediaType) => busType switch
    {
        17 => StorageKind.Nvme,
        7 => StorageKind.Usb,
        12 => StorageKind.SdCard,
        13 => StorageKind.Emmc,
        14 or 15 => StorageKind.Virtual,
        _ => mediaType switch
        {
            3 => StorageKind.Rotational,
            4 => busType is 11 or 10 or 3 ? StorageKind.SataSsd : StorageKind.Unknown,
            _ => StorageKind.Unknown,
        },
    };

    /// <summary>One sample from the raw (cumulative) performance counters; the watched adapters are matched by their perf instance name.</summary>
    public static MachineSample Sample(TimeSpan offset, string phase, IReadOnlyList<IReadOnlyDictionary<string, object?>>? processors,
        IReadOnlyDictionary<string, object?>? memory, long? tcpRetransmits,
        IReadOnlyList<IReadOnlyDictionary<string, object?>>? interfaces, IReadOnlyCollection<string> interfaceNames,
        IReadOnlyList<IReadOnlyDictionary<string, object?>>? thermal) => new()
        {
            Offset = offset,
            Phase = phase,
            CpuMHz = CurrentMHz(processors),
            TemperatureC = Temperature(thermal).Celsius,
            SwapIns = memory is null ? null : Long(memory, "PagesInputPersec"),
            TcpRetransmits = tcpRetransmits,
            NicRxDropped = interfaces is null || interfaceNames.Count == 0 ? null
                : interfaces.Where(i => interfaceNames.Contains(Text(i, "Name") ?? "")).Sum(i => Long(i, "PacketsReceivedDiscarded") ?? 0),
        };

    /// <summary>The perf counter instance name of an adapter description: ( ) # / \ become [ ] _ _ _ (as perfmon shows it).</summary>
    public static string PerfInstanceName(string description) =>
        description.Replace('(', '[').Replace(')', ']').Replace('#', '_').Replace('/', '_').Replace('\\', '_');

    private static char DriveLetter(IReadOnlyDictionary<string, object?> partition) => partition.TryGetValue("DriveLetter", out var v) ? v switch
    {
        string { Length: 1 } s => char.ToUpperInvariant(s[0]),
        char c => char.ToUpperInvariant(c),
        long n and > 64 and < 91 => (char)n,
        _ => '\0',
    } : '\0';

    /// <summary>Tenths of a kelvin to °C with Windows' own 2732 = 0 °C (as the ACPI _TMP value is reported).</summary>
    private static double? Kelvin(long? tenths) => tenths is > 0 ? (tenths.Value - 2732) / 10.0 : null;

    private static (int, int) Key(string name) =>
        name.Split(',') is [var g, var n] && int.TryParse(g, out var group) && int.TryParse(n, out var number) ? (group, number) : (int.MaxValue, 0);

    private static WorkstationGap Gap(WorkstationArea area, string item, string reason) => new() { Area = area, Item = item, Reason = reason };
}
