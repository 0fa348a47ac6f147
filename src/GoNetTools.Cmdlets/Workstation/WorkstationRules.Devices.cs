using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation;

/// <summary>Storage, NIC, firmware and build rules.</summary>
internal static partial class WorkstationRules
{
    /// <summary>Rule of thumb: at least 20 % free where GOCACHE and GOMODCACHE live.</summary>
    public const double FreeFloorPercent = 20;
    /// <summary>Below this, go build and go mod download fail with ENOSPC soon.</summary>
    public const double FreeCriticalPercent = 5;

    private static IEnumerable<WorkstationFinding> Storage(IReadOnlyList<WorkstationStorage> storage)
    {
        // GOCACHE and GOMODCACHE on the same file system are one finding naming both.
        foreach (var group in storage.Where(s => s.MountPoint is not null).GroupBy(s => (s.MountPoint, s.Device)))
        {
            var first = group.First();
            var roles = string.Join(" and ", group.Select(s => s.Role));
            var slow = first.Kind switch
            {
                StorageKind.Emmc => "eMMC flash",
                StorageKind.SdCard => "an SD card",
                StorageKind.Rotational => "a spinning disk",
                StorageKind.Usb => "a USB drive",
                StorageKind.SataSsd => "a SATA/SAS SSD",
                _ => null,
            };
            if (slow is not null)
            {
                yield return new WorkstationFinding
                {
                    Area = WorkstationArea.Storage, Code = "StorageNotNvme",
                    Severity = first.Kind == StorageKind.SataSsd ? FindingSeverity.Info : FindingSeverity.Warning, Subject = roles,
                    Message = $"{roles} {(group.Count() > 1 ? "live" : "lives")} on {slow} ({first.Device}{(first.Model is null ? "" : ", " + first.Model)}).",
                    Evidence = Evidence(("Kind", first.Kind.ToString()), ("Device", first.Device), ("Model", first.Model), ("MountPoint", first.MountPoint), ("Paths", string.Join("; ", group.Select(s => s.Path)))),
                    Rule = "Rule of thumb: NVMe, not eMMC, where GOCACHE and GOMODCACHE live: a build reads and writes thousands of small cache files, which eMMC, SD cards and disks do slowly.",
                    Recommendation = "Point GOCACHE and GOMODCACHE at an NVMe drive (go env -w GOCACHE=… GOMODCACHE=…).",
                };
            }
            if (first.FreePercent is { } free && free < FreeFloorPercent)
            {
                yield return new WorkstationFinding
                {
                    Area = WorkstationArea.Storage, Code = "StorageLowFree",
                    Severity = free < FreeCriticalPercent ? FindingSeverity.Error : FindingSeverity.Warning, Subject = roles,
                    Message = $"{first.MountPoint} (holding {roles}) has {free.ToString("0.#", CultureInfo.InvariantCulture)} % free ({Gib(first.FreeBytes ?? 0)} of {Gib(first.SizeBytes ?? 0)}).",
                    Evidence = Evidence(("FreePercent", free), ("FreeBytes", first.FreeBytes), ("SizeBytes", first.SizeBytes), ("MountPoint", first.MountPoint)),
                    Rule = $"Rule of thumb: ≥ 20 % free where GOCACHE and GOMODCACHE live (flash slows down as it fills, and the build cache grows until go trims it after 5 days); under {FreeCriticalPercent:0} % builds and downloads are about to fail with 'no space left on device'.",
                    Recommendation = "Free space, or move the caches; `go clean -cache` empties your own build cache (GoNetTools never runs it).",
                };
            }
        }
    }

    private static IEnumerable<WorkstationFinding> Nics(IReadOnlyList<NicAdapter> adapters, IReadOnlyList<NicInterrupt> interrupts, int cpus)
    {
        foreach (var nic in adapters)
        {
            var narrow = nic.PcieLinkWidth < nic.PcieMaxLinkWidth;
            var slow = nic.PcieLinkSpeedGTps < nic.PcieMaxLinkSpeedGTps;
            if (narrow || slow)
            {
                yield return new WorkstationFinding
                {
                    Area = WorkstationArea.Nic, Code = "PcieLinkDowngraded", Severity = FindingSeverity.Warning, Subject = nic.Name,
                    Message = $"{nic.Name} ({nic.Driver}, {nic.BusInfo}) runs its PCIe link at x{nic.PcieLinkWidth} {nic.PcieLinkSpeedGTps:0.#} GT/s; it supports x{nic.PcieMaxLinkWidth} {nic.PcieMaxLinkSpeedGTps:0.#} GT/s.",
                    Evidence = Evidence(("PcieLinkWidth", nic.PcieLinkWidth), ("PcieMaxLinkWidth", nic.PcieMaxLinkWidth), ("PcieLinkSpeedGTps", nic.PcieLinkSpeedGTps),
                        ("PcieMaxLinkSpeedGTps", nic.PcieMaxLinkSpeedGTps), ("LinkSpeedMbps", nic.LinkSpeedMbps)),
                    Rule = "Rule of thumb: the NIC on a full-width PCIe link. A card trained below its lanes or speed (a x8 card in a x4 slot, a riser, a bad seat) has less bus bandwidth than its ports.",
                    Recommendation = "Move the card to a slot wired for its full width (the board manual lists electrical widths), reseat it, and check BIOS bifurcation settings.",
                };
            }
            var off = interrupts.Where(i => i.Adapter == nic.Name && i.OffNode == true).ToList();
            if (off.Count > 0)
            {
                var nodes = off.SelectMany(i => i.CpuNumaNodes ?? Array.Empty<int>()).Distinct().OrderBy(n => n);
                yield return new WorkstationFinding
                {
                    Area = WorkstationArea.Nic, Code = "NicIrqOffNode", Severity = FindingSeverity.Warning, Subject = nic.Name,
                    Message = $"{off.Count} of {nic.Name}'s interrupts land on CPUs of NUMA node {string.Join(",", nodes)}; the adapter is on node {nic.NumaNode}.",
                    Evidence = Evidence(("AdapterNumaNode", nic.NumaNode), ("Irqs", Foundation.CpuSet.FormatList(off.Select(i => i.Irq))),
                        ("Cpus", Foundation.CpuSet.FormatList(off.SelectMany(i => i.EffectiveAffinityList ?? i.AffinityList).Distinct().OrderBy(c => c))), ("CpuNumaNodes", string.Join(",", nodes))),
                    Rule = "Rule of thumb: a NIC's interrupts on CPUs of its own NUMA node. Off-node, every packet's DMA buffers and the softirq that handles them sit on different sockets and cross the interconnect.",
                    Recommendation = $"Set-NicInterruptAffinity -Irq … -Cpu <CPUs of node {nic.NumaNode}> (and ban those IRQs in irqbalance), or let irqbalance place them by node.",
                };
            }
            if (RssShort(nic, cpus) is { } rss)
            {
                yield return rss;
            }
        }
    }

    private static WorkstationFinding? RssShort(NicAdapter nic, int cpus)
    {
        var queues = nic.CombinedChannels ?? nic.RxQueues;
        if (nic.Kind != NicKind.Ethernet || nic.Status != NicStatus.Up || nic.MaxCombinedChannels is not { } max || cpus == 0 || queues >= Math.Min(max, cpus))
        {
            return null;
        }
        return new WorkstationFinding
        {
            Area = WorkstationArea.Nic, Code = "RssQueuesBelowCores", Severity = FindingSeverity.Info, Subject = nic.Name,
            Message = $"{nic.Name} spreads receive work over {queues} queues; the hardware allows {max} and there are {cpus} CPUs.",
            Evidence = Evidence(("Queues", queues), ("MaxCombinedChannels", max), ("Cpus", cpus)),
            Rule = "RSS queues vs cores: each queue's interrupt and softirq run on one CPU, so fewer queues than cores puts all receive work on a few CPUs.",
            Recommendation = $"ethtool -L {nic.Name} combined {Math.Min(max, cpus)}",
        };
    }

    private static IEnumerable<WorkstationFinding> Firmware(IReadOnlyList<WorkstationFirmwareUpdate> updates) =>
        updates.Select(u => new WorkstationFinding
        {
            Area = WorkstationArea.Firmware, Code = "FirmwareUpdatePending", Severity = FindingSeverity.Warning, Subject = u.Device,
            Message = $"fwupd offers firmware {u.AvailableVersion} for {u.Device}; {u.CurrentVersion} is installed.",
            Evidence = Evidence(("Device", u.Device), ("Vendor", u.Vendor), ("CurrentVersion", u.CurrentVersion), ("AvailableVersion", u.AvailableVersion)),
            Rule = "Rule of thumb: firmware kept current (NIC, SSD and platform firmware fix link, power and thermal bugs). GoNetTools only reports: it never installs.",
            Recommendation = "Review and apply with fwupdmgr update (or the vendor's tool).",
        });

    private static IEnumerable<WorkstationFinding> Build(GoBuildMeasurement? build)
    {
        if (build is { Verdict: GoBuildVerdict.Slow or GoBuildVerdict.Fair })
        {
            yield return new WorkstationFinding
            {
                Area = WorkstationArea.Build, Code = "GoBuildSlow", Severity = build.Verdict == GoBuildVerdict.Slow ? FindingSeverity.Warning : FindingSeverity.Info,
                Subject = build.Command,
                Message = $"A cold hello-world build takes {build.Median.TotalSeconds:0.00} s (median of {build.Runs}).",
                Evidence = Evidence(("MedianSeconds", Math.Round(build.Median.TotalSeconds, 3)), ("CpuMHzMedian", build.CpuMHzMedian), ("MaxMHz", build.MaxMHz),
                    ("ThrottleEvents", build.ThrottleEvents), ("TemperatureMaxC", build.TemperatureMaxC), ("GoVersion", build.GoVersion)),
                Rule = build.VerdictReason,
                Recommendation = "Look at the clock and throttle figures of Measure-GoBuild; check the power profile and cooling.",
            };
        }
    }
}
