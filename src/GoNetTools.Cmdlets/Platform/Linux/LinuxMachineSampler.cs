using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// One reading of what the machine is doing, from sysfs/procfs under the system root: clocks (cpufreq), hottest CPU
/// sensor, throttle counters, PSI totals, pswpin, softnet_stat, the watched adapters' rx_dropped/rx_missed_errors,
/// and TcpRetransSegs of this network namespace. What is missing is found once, at construction, and said in Gaps.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class LinuxMachineSampler : IMachineSampler
{
    private readonly string _root;
    private readonly LinuxCpuReader _cpu;
    private readonly IReadOnlyList<string> _adapters;
    private readonly List<WorkstationGap> _gaps = new();
    private readonly ITcpStateSource _tcp;

    public LinuxMachineSampler(string root, LinuxCpuReader cpu, IReadOnlyList<string> adapters)
    {
        _root = root;
        _cpu = cpu;
        _adapters = adapters;
        _tcp = new LinuxTcpStateSource(root);
        var cpuGaps = new List<WorkstationGap>();
        cpu.Read(cpuGaps);
        _gaps.AddRange(cpuGaps);
        if (ProcStatParsers.Read(Proc("pressure", "cpu")) is null)
        {
            _gaps.Add(new WorkstationGap
            {
                Area = WorkstationArea.Cpu, Item = "pressure stall information (PSI)",
                Reason = "no /proc/pressure: the kernel was built without CONFIG_PSI or booted with psi=0",
            });
        }
        if (ProcStatParsers.Read(Proc("net", "softnet_stat")) is null)
        {
            _gaps.Add(new WorkstationGap { Area = WorkstationArea.Nic, Item = "softnet_stat", Reason = "no /proc/net/softnet_stat" });
        }
    }

    public IReadOnlyList<WorkstationGap> Gaps => _gaps;

    public MachineSample Sample(TimeSpan offset, string phase)
    {
        var (cpuSome, _) = ProcStatParsers.Pressure(ProcStatParsers.Read(Proc("pressure", "cpu")));
        var (memorySome, memoryFull) = ProcStatParsers.Pressure(ProcStatParsers.Read(Proc("pressure", "memory")));
        var (ioSome, _) = ProcStatParsers.Pressure(ProcStatParsers.Read(Proc("pressure", "io")));
        var vmstat = ProcStatParsers.Values(ProcStatParsers.Read(Proc("vmstat")));
        var softnet = ProcStatParsers.Softnet(ProcStatParsers.Read(Proc("net", "softnet_stat")));
        var (temperature, _) = _cpu.Temperature();
        return new MachineSample
        {
            Offset = offset,
            Phase = phase,
            CpuMHz = _cpu.CurrentMHz(),
            TemperatureC = temperature,
            ThrottleEvents = _cpu.ThrottleEvents(),
            CpuPressureUs = cpuSome?.TotalUs,
            MemoryPressureUs = memorySome?.TotalUs,
            MemoryFullPressureUs = memoryFull?.TotalUs,
            IoPressureUs = ioSome?.TotalUs,
            SwapIns = vmstat.TryGetValue("pswpin", out var swapIns) ? swapIns : null,
            SoftnetDropped = softnet?.Dropped,
            SoftnetTimeSqueeze = softnet?.TimeSqueeze,
            NicRxDropped = AdapterCounter("rx_dropped"),
            NicRxMissed = AdapterCounter("rx_missed_errors"),
            TcpRetransmits = MachineSamplers.Retransmits(_tcp),
        };
    }

    private long? AdapterCounter(string name)
    {
        long? total = null;
        foreach (var adapter in _adapters)
        {
            if (SysfsReader.Number(Path.Combine(_root, "sys", "class", "net", adapter, "statistics", name)) is { } value)
            {
                total = (total ?? 0) + value;
            }
        }
        return total;
    }

    private string Proc(params string[] parts) => Path.Combine(_root, "proc", Path.Combine(parts));
}
