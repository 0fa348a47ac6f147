using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using Microsoft.Management.Infrastructure;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows machine facts through CIM (Microsoft.Management.Infrastructure), mapped by <see cref="WindowsWorkstationMapper"/>.
/// NUMA placement of interrupts and fwupd have no Windows counterpart here: they are reported as not exposed.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsWorkstationSource : IWorkstationSource
{
    private const string Cimv2 = "root/cimv2";
    private const string Storage = "root/Microsoft/Windows/Storage";
    private const string Wmi = "root/wmi";
    private const string Power = "root/cimv2/power";

    public string Source => "/";

    public bool IsLive => true;

    public string OperatingSystem() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    public string? Virtualization()
    {
        using var session = CimSession.Create(null);
        var system = CimQuery.Optional(session, Cimv2, "Win32_ComputerSystem")?.FirstOrDefault();
        return system is not null && WindowsNicMapper.Bool(system, "HypervisorPresent") == true && WindowsNicMapper.Text(system, "Model") is { } model
            && (model.Contains("Virtual", StringComparison.OrdinalIgnoreCase) || model.Contains("VMware", StringComparison.OrdinalIgnoreCase))
            ? $"virtual machine ({WindowsNicMapper.Text(system, "Manufacturer")} {model})" : null;
    }

    public WorkstationCpu Cpu(List<WorkstationGap> gaps)
    {
        using var session = CimSession.Create(null);
        return WindowsWorkstationMapper.Cpu(Query(session, Cimv2, "Win32_Processor"),
            CimQuery.Optional(session, Cimv2, "Win32_PerfFormattedData_Counters_ProcessorInformation"),
            CimQuery.Optional(session, Power, "Win32_PowerPlan"), CimQuery.Optional(session, Wmi, "MSAcpi_ThermalZoneTemperature"), gaps);
    }

    public WorkstationMemory Memory(List<WorkstationGap> gaps)
    {
        using var session = CimSession.Create(null);
        return WindowsWorkstationMapper.Memory(Query(session, Cimv2, "Win32_OperatingSystem").First(),
            CimQuery.Optional(session, Cimv2, "Win32_PerfRawData_PerfOS_Memory")?.FirstOrDefault(), gaps);
    }

    WorkstationStorage IWorkstationSource.Storage(string role, string path, List<WorkstationGap> gaps)
    {
        using var session = CimSession.Create(null);
        return WindowsWorkstationMapper.Storage(role, path, Query(session, Storage, "MSFT_Partition"), Query(session, Storage, "MSFT_PhysicalDisk"),
            Query(session, Cimv2, "Win32_LogicalDisk"), gaps);
    }

    public IReadOnlyDictionary<int, int> CpuNodes() => new Dictionary<int, int>();

    public IReadOnlyList<WorkstationFirmwareUpdate>? FirmwareUpdates(List<WorkstationGap> gaps)
    {
        gaps.Add(new WorkstationGap
        {
            Area = WorkstationArea.Firmware, Item = "pending firmware updates",
            Reason = "fwupd is a Linux service; on Windows firmware arrives through Windows Update and vendor tools, which are not read here",
        });
        return null;
    }

    public IReadOnlyDictionary<string, string>? RecordedGoEnvironment() => null;

    public IMachineSampler Sampler(IReadOnlyList<string> adapters) => new WindowsMachineSampler(adapters);

    private static List<IReadOnlyDictionary<string, object?>> Query(CimSession session, string ns, string className) =>
        CimQuery.Instances(session, ns, className, ErrorIds.WorkstationInfoUnavailable);

    /// <summary>Raw performance counters through CIM at each sample; the watched adapters by their perf instance names.</summary>
    private sealed class WindowsMachineSampler : IMachineSampler
    {
        private readonly HashSet<string> _interfaces;
        private readonly ITcpStateSource _tcp = new WindowsTcpStateSource();
        private readonly List<WorkstationGap> _gaps = new()
        {
            new() { Area = WorkstationArea.Cpu, Item = "CPU thermal throttle counters", Reason = "Windows keeps no throttle event count" },
            new() { Area = WorkstationArea.Cpu, Item = "pressure stall information (PSI)", Reason = "a Linux kernel feature" },
            new() { Area = WorkstationArea.Nic, Item = "softnet_stat (backlog drops, time_squeeze)", Reason = "Linux's per-CPU receive backlog; Windows' DPC queues have no such counters" },
        };

        public WindowsMachineSampler(IReadOnlyList<string> adapters)
        {
            var nics = new WindowsNicSource().GetAdapters().Where(a => adapters.Contains(a.Name, StringComparer.OrdinalIgnoreCase));
            _interfaces = nics.Select(a => WindowsWorkstationMapper.PerfInstanceName(a.Description ?? a.Name)).ToHashSet(StringComparer.Ordinal);
        }

        public IReadOnlyList<WorkstationGap> Gaps => _gaps;

        public MachineSample Sample(TimeSpan offset, string phase)
        {
            using var session = CimSession.Create(null);
            return WindowsWorkstationMapper.Sample(offset, phase, CimQuery.Optional(session, Cimv2, "Win32_PerfFormattedData_Counters_ProcessorInformation"),
                CimQuery.Optional(session, Cimv2, "Win32_PerfRawData_PerfOS_Memory")?.FirstOrDefault(), MachineSamplers.Retransmits(_tcp),
                CimQuery.Optional(session, Cimv2, "Win32_PerfRawData_Tcpip_NetworkInterface"), _interfaces,
                CimQuery.Optional(session, Wmi, "MSAcpi_ThermalZoneTemperature"));
        }
    }
}
