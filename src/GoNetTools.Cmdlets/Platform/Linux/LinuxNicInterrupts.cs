using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Adapter interrupts from /proc/interrupts and /proc/irq/N/ under the system root, mapped to adapters and queues
/// by <see cref="IrqNameMapper"/>; irqbalance found through /proc/&lt;pid&gt;/comm and its --banirq options.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxNicInterrupts
{
    public static IReadOnlyList<NicInterrupt> Read(string root, LinuxNicSource source, IReadOnlyList<NicAdapter> adapters)
    {
        var path = Path.Combine(root, "proc", "interrupts");
        if (!File.Exists(path))
        {
            throw new GoNetToolsException(ErrorIds.NicInfoUnavailable, FailureKind.ResourceUnavailable,
                $"{path} does not exist, so interrupts cannot be read.", "Mount procfs at /proc.");
        }
        var infos = adapters.Select(a => Info(source, a)).ToList();
        var cpuNodes = LinuxNuma.CpuNodes(root);
        var result = new List<NicInterrupt>();
        foreach (var line in ProcInterruptsParser.Parse(File.ReadLines(path)))
        {
            IrqOwner? owner = null;
            foreach (var action in ProcInterruptsParser.Actions(line.Name))
            {
                owner ??= IrqNameMapper.Map(line.Irq, action, infos);
            }
            owner ??= line.Name.Length == 0 ? IrqNameMapper.Map(line.Irq, "", infos) : null;
            if (owner is null)
            {
                continue;
            }
            var irqDir = Path.Combine(root, "proc", "irq", line.Irq.ToString(CultureInfo.InvariantCulture));
            var affinity = CpuSet.TryParseList(SysfsReader.Text(Path.Combine(irqDir, "smp_affinity_list"))) ?? Array.Empty<int>();
            var effective = CpuSet.TryParseList(SysfsReader.Text(Path.Combine(irqDir, "effective_affinity_list")));
            var placement = NumaPlacement.Of(adapters.FirstOrDefault(a => a.Name == owner.Adapter)?.NumaNode, effective ?? affinity, cpuNodes);
            result.Add(new NicInterrupt
            {
                Irq = line.Irq,
                Adapter = owner.Adapter,
                Queue = owner.Queue,
                QueueType = owner.QueueType,
                Name = line.Name,
                Controller = line.Controller,
                CountsPerCpu = line.CountsPerCpu,
                Total = line.CountsPerCpu.Sum(),
                AffinityList = affinity,
                EffectiveAffinityList = effective,
                AdapterNumaNode = placement.AdapterNode,
                CpuNumaNodes = placement.CpuNodes,
                OffNode = placement.OffNode,
            });
        }
        return result;
    }

    public static void WriteAffinity(string root, int irq, IReadOnlyList<int> cpus)
    {
        var file = Path.Combine(root, "proc", "irq", irq.ToString(CultureInfo.InvariantCulture), "smp_affinity_list");
        if (!File.Exists(file))
        {
            throw new GoNetToolsException(ErrorIds.IrqNotFound, FailureKind.ObjectNotFound,
                $"IRQ {irq} does not exist ({file} is missing).", "Get-NicInterrupt lists the adapters' interrupts.");
        }
        try
        {
            File.WriteAllText(file, CpuSet.FormatList(cpus) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The kernel answers EIO for IRQs whose affinity is managed (per-CPU MSI-X of NVMe, some mlx5 setups).
            throw new GoNetToolsException(ErrorIds.NicSettingWriteFailed,
                e is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.OperationFailed,
                $"Writing {file} failed: {e.Message}",
                "Run as root. Kernel-managed interrupts (managed affinity) refuse manual changes.", e);
        }
    }

    /// <summary>irqbalance's pid and whether it was started with --banirq=&lt;irq&gt; (or -i &lt;irq&gt;); null when it is not running.</summary>
    public static IrqBalanceStatus? IrqBalance(string root, int irq)
    {
        var proc = Path.Combine(root, "proc");
        if (!Directory.Exists(proc))
        {
            return null;
        }
        foreach (var dir in Directory.EnumerateDirectories(proc))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || SysfsReader.Text(Path.Combine(dir, "comm")) != "irqbalance")
            {
                continue;
            }
            var args = (SysfsReader.Text(Path.Combine(dir, "cmdline")) ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var irqText = irq.ToString(CultureInfo.InvariantCulture);
            var banned = false;
            for (var i = 0; i < args.Length; i++)
            {
                banned |= args[i] == "--banirq=" + irqText || args[i] == "-i" + irqText
                    || ((args[i] == "--banirq" || args[i] == "-i") && i + 1 < args.Length && args[i + 1] == irqText);
            }
            return new IrqBalanceStatus(pid, banned);
        }
        return null;
    }

    private static IrqAdapterInfo Info(LinuxNicSource source, NicAdapter adapter)
    {
        var device = source.DeviceDir(adapter.Name);
        var bus = source.BusDeviceDir(adapter.Name);
        var virtio = device is not null && Path.GetFileName(device).StartsWith("virtio", StringComparison.Ordinal) ? Path.GetFileName(device) : null;
        var msi = new HashSet<int>();
        var msiDir = bus is null ? null : Path.Combine(bus, "msi_irqs");
        if (msiDir is not null && Directory.Exists(msiDir))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(msiDir))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    msi.Add(n);
                }
            }
        }
        return new IrqAdapterInfo(adapter.Name, adapter.Driver, adapter.BusInfo, virtio, msi);
    }
}
