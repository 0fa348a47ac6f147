using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// Pure parsers for the macOS workstation facts: `sysctl` lines ("hw.memsize: 34359738368"), `vm_stat`
/// ("Swapins:   1234."), and `system_profiler -json SPStorageDataType` (volumes with mount_point, size_in_bytes,
/// free_space_in_bytes and physical_drive.protocol / medium_type).
/// </summary>
internal static class MacWorkstationParsers
{
    /// <summary>The sysctl keys read (unknown ones are reported by sysctl on stderr and skipped).</summary>
    public static readonly string[] SysctlKeys =
    {
        "machdep.cpu.brand_string", "hw.physicalcpu", "hw.logicalcpu", "hw.cpufrequency", "hw.cpufrequency_max", "hw.memsize", "vm.swapusage",
        "kern.hv_vmm_present",
    };

    public static Dictionary<string, string> Sysctl(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && !line.StartsWith("sysctl:", StringComparison.Ordinal))
            {
                result[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return result;
    }

    public static WorkstationCpu Cpu(IReadOnlyDictionary<string, string> sysctl, List<WorkstationGap> gaps)
    {
        var hz = Long(sysctl, "hw.cpufrequency");
        if (hz is null)
        {
            gaps.Add(Gap(WorkstationArea.Cpu, "CPU frequency", "Apple silicon publishes no clock through sysctl (hw.cpufrequency is absent); powermetrics needs root and a sampling run"));
        }
        gaps.Add(Gap(WorkstationArea.Cpu, "CPU temperature and throttle counters", "macOS gives them only to privileged tools (powermetrics, SMC readers), not through sysctl"));
        return new WorkstationCpu
        {
            Model = sysctl.GetValueOrDefault("machdep.cpu.brand_string"),
            Cores = (int?)Long(sysctl, "hw.physicalcpu"),
            LogicalCpus = (int)(Long(sysctl, "hw.logicalcpu") ?? 0),
            BaseMHz = hz / 1e6,
            MaxMHz = null,
        };
    }

    public static WorkstationMemory Memory(IReadOnlyDictionary<string, string> sysctl, long? swapIns, List<WorkstationGap> gaps)
    {
        gaps.Add(Gap(WorkstationArea.Memory, "memory pressure (PSI)", "pressure stall information is a Linux kernel feature (macOS has memory_pressure, a tool, not a counter)"));
        // vm.swapusage: "total = 2048.00M  used = 1024.50M  free = 1023.50M  (encrypted)"
        var swap = sysctl.GetValueOrDefault("vm.swapusage") ?? "";
        return new WorkstationMemory
        {
            TotalBytes = Long(sysctl, "hw.memsize") ?? 0,
            SwapTotalBytes = SwapField(swap, "total"),
            SwapUsedBytes = SwapField(swap, "used"),
            SwapInsSinceBoot = swapIns,
        };
    }

    /// <summary>The "Swapins:" line of vm_stat (pages since boot).</summary>
    public static long? VmStatSwapIns(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Swapins:", StringComparison.Ordinal)) is { } line
        && long.TryParse(line["Swapins:".Length..].Trim().TrimEnd('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var pages) ? pages : null;

    public static WorkstationStorage Storage(string role, string path, string storageJson, List<WorkstationGap> gaps)
    {
        using var document = JsonDocument.Parse(storageJson);
        var volumes = document.RootElement.TryGetProperty("SPStorageDataType", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(v => Text(v, "mount_point") is not null).ToList() : new List<JsonElement>();
        var volume = volumes.Where(v => Holds(Text(v, "mount_point")!, path)).OrderByDescending(v => Text(v, "mount_point")!.Length).Cast<JsonElement?>().FirstOrDefault();
        if (volume is not { } v)
        {
            gaps.Add(Gap(WorkstationArea.Storage, $"storage device behind {role}", $"system_profiler lists no volume holding {path}"));
            return new WorkstationStorage { Role = role, Path = path };
        }
        var drive = v.TryGetProperty("physical_drive", out var d) ? d : default;
        var protocol = drive.ValueKind == JsonValueKind.Object ? Text(drive, "protocol") : null;
        var kind = Kind(protocol, drive.ValueKind == JsonValueKind.Object ? Text(drive, "medium_type") : null);
        if (kind == StorageKind.Unknown)
        {
            gaps.Add(Gap(WorkstationArea.Storage, $"storage device behind {role}", $"system_profiler names the drive's protocol '{protocol ?? "(none)"}'"));
        }
        var size = Number(v, "size_in_bytes");
        var free = Number(v, "free_space_in_bytes");
        return new WorkstationStorage
        {
            Role = role,
            Path = path,
            MountPoint = Text(v, "mount_point"),
            FileSystem = Text(v, "file_system"),
            Device = Text(v, "bsd_name"),
            Kind = kind,
            Model = drive.ValueKind == JsonValueKind.Object ? Text(drive, "device_name") : null,
            SizeBytes = size,
            FreeBytes = free,
            FreePercent = size is > 0 && free is not null ? Math.Round(100.0 * free.Value / size.Value, 1) : null,
        };
    }

    /// <summary>"Apple Fabric" is the internal SSD of Apple silicon (NVMe over the SoC fabric); PCI-Express and NVMExpress are NVMe.</summary>
    public static StorageKind Kind(string? protocol, string? medium) => protocol switch
    {
        "Apple Fabric" or "PCI-Express" or "NVMExpress" or "PCI" => StorageKind.Nvme,
        "SATA" => medium == "rotational" ? StorageKind.Rotational : StorageKind.SataSsd,
        "USB" => StorageKind.Usb,
        "Secure Digital" => StorageKind.SdCard,
        "Disk Image" => StorageKind.Virtual,
        _ => StorageKind.Unknown,
    };

    private static bool Holds(string point, string path) =>
        point == "/" || path == point || path.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static long? SwapField(string swap, string name)
    {
        var at = swap.IndexOf(name + " = ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var value = swap[(at + name.Length + 3)..].Split(' ')[0];
        var unit = value[^1];
        var scale = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L };
        return double.TryParse(char.IsLetter(unit) ? value[..^1] : value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? (long)(number * scale) : null;
    }

    private static long? Long(IReadOnlyDictionary<string, string> d, string key) =>
        d.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static WorkstationGap Gap(WorkstationArea area, string item, string reason) => new() { Area = area, Item = item, Reason = reason };
}
