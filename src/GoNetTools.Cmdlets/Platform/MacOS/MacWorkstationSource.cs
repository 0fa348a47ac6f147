using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// macOS machine facts from `sysctl` (hw.*, machdep.cpu), `vm_stat` and `system_profiler -json SPStorageDataType`,
/// parsed by <see cref="MacWorkstationParsers"/>. NUMA does not exist on these machines; fwupd does not run there.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("macos")]
internal sealed class MacWorkstationSource : IWorkstationSource
{
    private readonly ICommandRunner _runner;
    private Dictionary<string, string>? _sysctl;

    public MacWorkstationSource(ICommandRunner runner) => _runner = runner;

    public string Source => "/";

    public bool IsLive => true;

    public string OperatingSystem() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    public string? Virtualization() => Sysctl().GetValueOrDefault("kern.hv_vmm_present") == "1" ? "virtual machine (kern.hv_vmm_present = 1)" : null;

    public WorkstationCpu Cpu(List<WorkstationGap> gaps) => MacWorkstationParsers.Cpu(Sysctl(), gaps);

    public WorkstationMemory Memory(List<WorkstationGap> gaps) => MacWorkstationParsers.Memory(Sysctl(), SwapIns(_runner), gaps);

    public WorkstationStorage Storage(string role, string path, List<WorkstationGap> gaps)
    {
        var (code, output) = _runner.Run("/usr/sbin/system_profiler", "-json SPStorageDataType");
        if (code != 0)
        {
            gaps.Add(new WorkstationGap { Area = WorkstationArea.Storage, Item = $"storage device behind {role}", Reason = $"system_profiler failed: {output.Trim()}" });
            return new WorkstationStorage { Role = role, Path = path };
        }
        return MacWorkstationParsers.Storage(role, path, output, gaps);
    }

    public IReadOnlyDictionary<int, int> CpuNodes() => new Dictionary<int, int>();

    public IReadOnlyList<WorkstationFirmwareUpdate>? FirmwareUpdates(List<WorkstationGap> gaps)
    {
        gaps.Add(new WorkstationGap
        {
            Area = WorkstationArea.Firmware, Item = "pending firmware updates",
            Reason = "Apple ships Mac firmware inside macOS updates (softwareupdate); fwupd does not run on macOS",
        });
        return null;
    }

    public IReadOnlyDictionary<string, string>? RecordedGoEnvironment() => null;

    public IMachineSampler Sampler(IReadOnlyList<string> adapters) => new MacSampler(_runner);

    private Dictionary<string, string> Sysctl() =>
        _sysctl ??= MacWorkstationParsers.Sysctl(_runner.Run("/usr/sbin/sysctl", string.Join(' ', MacWorkstationParsers.SysctlKeys)).Output);

    private static long? SwapIns(ICommandRunner runner) => MacWorkstationParsers.VmStatSwapIns(runner.Run("/usr/bin/vm_stat", "").Output);

    /// <summary>Swap-ins from vm_stat and retransmits from netstat at each sample; clocks and temperatures are not exposed.</summary>
    private sealed class MacSampler : IMachineSampler
    {
        private readonly ICommandRunner _runner;
        private readonly ITcpStateSource _tcp = new MacTcpStateSource();

        public MacSampler(ICommandRunner runner) => _runner = runner;

        public IReadOnlyList<WorkstationGap> Gaps { get; } = new[]
        {
            new WorkstationGap { Area = WorkstationArea.Cpu, Item = "CPU frequency, temperature and throttle counters", Reason = "macOS gives them only to privileged tools (powermetrics)" },
            new WorkstationGap { Area = WorkstationArea.Cpu, Item = "pressure stall information (PSI)", Reason = "a Linux kernel feature" },
            new WorkstationGap { Area = WorkstationArea.Nic, Item = "softnet_stat and NIC drop counters", Reason = "Linux's receive backlog counters; macOS has no per-CPU backlog statistics" },
        };

        public MachineSample Sample(TimeSpan offset, string phase) => new()
        {
            Offset = offset,
            Phase = phase,
            SwapIns = SwapIns(_runner),
            TcpRetransmits = MachineSamplers.Retransmits(_tcp),
        };
    }
}
