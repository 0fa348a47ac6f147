using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Queues from /sys/class/net/&lt;if&gt;/queues/{rx,tx}-N (RPS/XPS masks, rps_flow_cnt), joined with the queue's
/// interrupt, its share of the RSS indirection table and the driver's per-queue ethtool statistics.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxNicQueues
{
    public static IEnumerable<NicQueue> Read(LinuxNicSource source, NicAdapter adapter)
    {
        var queuesDir = Path.Combine(source.NetDir, adapter.Name, "queues");
        if (!Directory.Exists(queuesDir))
        {
            return Array.Empty<NicQueue>();
        }
        var interrupts = source.GetInterrupts(new[] { adapter });
        var table = source.Ethtool.Indirection(adapter.Name);
        var stats = source.Ethtool.Statistics(adapter.Name);
        var result = new List<NicQueue>();
        foreach (var direction in new[] { NicQueueDirection.Rx, NicQueueDirection.Tx })
        {
            var prefix = direction == NicQueueDirection.Rx ? "rx-" : "tx-";
            var indexes = Directory.EnumerateDirectories(queuesDir, prefix + "*")
                .Select(d => int.TryParse(Path.GetFileName(d).AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
                .Where(i => i >= 0).OrderBy(i => i);
            foreach (var index in indexes)
            {
                var dir = Path.Combine(queuesDir, prefix + index.ToString(CultureInfo.InvariantCulture));
                var irq = IrqFor(interrupts, direction, index);
                var mask = SysfsReader.Text(Path.Combine(dir, direction == NicQueueDirection.Rx ? "rps_cpus" : "xps_cpus"));
                result.Add(new NicQueue
                {
                    Adapter = adapter.Name,
                    Direction = direction,
                    Index = index,
                    Irq = irq?.Irq,
                    IrqAffinity = irq is null ? null : CpuSet.FormatList(irq.AffinityList),
                    RpsMask = direction == NicQueueDirection.Rx ? mask : null,
                    RpsCpus = direction == NicQueueDirection.Rx ? CpuSet.TryParseMask(mask) : null,
                    RpsFlowCount = direction == NicQueueDirection.Rx ? (int?)SysfsReader.Number(Path.Combine(dir, "rps_flow_cnt")) : null,
                    XpsMask = direction == NicQueueDirection.Tx ? mask : null,
                    XpsCpus = direction == NicQueueDirection.Tx ? CpuSet.TryParseMask(mask) : null,
                    IndirectionShare = direction == NicQueueDirection.Rx && table is { Length: > 0 }
                        ? (double)table.Count(q => q == index) / table.Length : null,
                    Packets = Stat(stats, direction, index, "packets"),
                    Bytes = Stat(stats, direction, index, "bytes"),
                    Drops = Stat(stats, direction, index, "drops", "dropped", "drop", "xdp_drops"),
                });
            }
        }
        return result;
    }

    public static void WriteCpus(LinuxNicSource source, NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus)
    {
        var dir = Path.Combine(source.NetDir, adapter.Name, "queues",
            (direction == NicQueueDirection.Rx ? "rx-" : "tx-") + index.ToString(CultureInfo.InvariantCulture));
        if (!Directory.Exists(dir))
        {
            throw new GoNetToolsException(ErrorIds.NicQueueNotFound, FailureKind.ObjectNotFound,
                $"{adapter.Name} has no {direction} queue {index} ({adapter.RxQueues} Rx, {adapter.TxQueues} Tx queues).",
                "Get-NicQueue -Adapter " + adapter.Name + " lists its queues.");
        }
        var file = Path.Combine(dir, direction == NicQueueDirection.Rx ? "rps_cpus" : "xps_cpus");
        try
        {
            File.WriteAllText(file, CpuSet.FormatMask(cpus) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GoNetToolsException(ErrorIds.NicSettingWriteFailed,
                e is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.OperationFailed,
                $"Writing {file} failed: {e.Message}", "Run as root; the kernel refuses CPUs that do not exist.", e);
        }
    }

    private static NicInterrupt? IrqFor(IReadOnlyList<NicInterrupt> interrupts, NicQueueDirection direction, int index)
    {
        var wanted = direction == NicQueueDirection.Rx ? "Rx" : "Tx";
        return interrupts.FirstOrDefault(i => i.Queue == index && string.Equals(i.QueueType, wanted, StringComparison.OrdinalIgnoreCase))
            ?? interrupts.FirstOrDefault(i => i.Queue == index && string.Equals(i.QueueType, "TxRx", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A per-queue counter by the names drivers use: rx_queue_3_packets (ixgbe, virtio_net, veth), rx3_packets
    /// (mlx5), rx-3.packets (i40e/ice).
    /// </summary>
    internal static ulong? Stat(IReadOnlyList<KeyValuePair<string, ulong>>? stats, NicQueueDirection direction, int index, params string[] metrics)
    {
        if (stats is null)
        {
            return null;
        }
        var d = direction == NicQueueDirection.Rx ? "rx" : "tx";
        var n = index.ToString(CultureInfo.InvariantCulture);
        foreach (var metric in metrics)
        {
            foreach (var name in new[] { $"{d}_queue_{n}_{metric}", $"{d}{n}_{metric}", $"{d}-{n}.{metric}", $"{d}-{n}_{metric}" })
            {
                foreach (var (key, value) in stats)
                {
                    if (key == name)
                    {
                        return value;
                    }
                }
            }
        }
        return null;
    }
}
