using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// NUMA placement under a system root: which node each CPU belongs to (sys/devices/system/node/nodeN/cpulist), and a
/// PCI device's PCIe link and node (current_link_speed/width, max_link_speed/width, numa_node: drivers/pci/pci-sysfs.c).
/// </summary>
internal static class LinuxNuma
{
    /// <summary>CPU → node; empty when the kernel exposes no node directories.</summary>
    public static IReadOnlyDictionary<int, int> CpuNodes(string root)
    {
        var result = new Dictionary<int, int>();
        var nodes = Path.Combine(root, "sys", "devices", "system", "node");
        if (!Directory.Exists(nodes))
        {
            return result;
        }
        foreach (var dir in Directory.EnumerateDirectories(nodes, "node*"))
        {
            if (int.TryParse(Path.GetFileName(dir)[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var node))
            {
                foreach (var cpu in Foundation.CpuSet.TryParseList(SysfsReader.Text(Path.Combine(dir, "cpulist"))) ?? Array.Empty<int>())
                {
                    result[cpu] = node;
                }
            }
        }
        return result;
    }

    /// <summary>The device's NUMA node; null for -1 (the firmware gave no proximity, or a single-node machine).</summary>
    public static int? DeviceNode(string? deviceDir) =>
        deviceDir is not null && SysfsReader.Number(Path.Combine(deviceDir, "numa_node")) is >= 0 and var node ? (int)node : null;

    /// <summary>
    /// The PCIe link of a PCI function: lanes in use and the most the device supports, and speeds in GT/s
    /// ("8.0 GT/s PCIe"; "Unknown" when the link is down). Nulls for devices without a PCIe capability (virtio, PCI).
    /// </summary>
    public static (int? Width, int? MaxWidth, double? Speed, double? MaxSpeed) PcieLink(string? deviceDir)
    {
        if (deviceDir is null)
        {
            return (null, null, null, null);
        }
        int? Width(string file) => SysfsReader.Number(Path.Combine(deviceDir, file)) is > 0 and var w ? (int)w : null;
        double? Speed(string file)
        {
            var text = SysfsReader.Text(Path.Combine(deviceDir, file));
            var number = text?.Split(' ')[0];
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var gts) && gts > 0 ? gts : null;
        }
        return (Width("current_link_width"), Width("max_link_width"), Speed("current_link_speed"), Speed("max_link_speed"));
    }
}
