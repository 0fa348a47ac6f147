using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Threading;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Linux machine facts from procfs/sysfs under a system root ("/" live, a fixture tree in tests). Where the live
/// machine runs a tool, a fixture holds its recorded output instead, as the NIC back-end reads ethtool/ recordings:
/// fwupd/get-updates.json (fwupdmgr get-updates --json), go-env.json (go env -json), df.txt (df -P -B1).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxWorkstationSource : IWorkstationSource
{
    private readonly string _root;
    private readonly CancellationToken _cancel;
    private readonly LinuxCpuReader _cpu;

    public LinuxWorkstationSource(string systemRoot, CancellationToken cancel)
    {
        _root = systemRoot;
        _cancel = cancel;
        IsLive = Path.GetFullPath(systemRoot) == "/";
        _cpu = new LinuxCpuReader(systemRoot);
    }

    public string Source => _root;

    public bool IsLive { get; }

    public string OperatingSystem()
    {
        var pretty = ProcStatParsers.Read(Path.Combine(_root, "etc", "os-release"))?.Split('\n')
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
        var kernel = SysfsReader.Text(Path.Combine(_root, "proc", "sys", "kernel", "osrelease"));
        return string.Join(", ", new[] { pretty ?? "Linux", kernel is null ? null : "kernel " + kernel }.OfType<string>());
    }

    public string? Virtualization()
    {
        if (!_cpu.Hypervisor())
        {
            return null;
        }
        var dmi = Path.Combine(_root, "sys", "class", "dmi", "id");
        var product = string.Join(" ", new[] { SysfsReader.Text(Path.Combine(dmi, "sys_vendor")), SysfsReader.Text(Path.Combine(dmi, "product_name")) }
            .Where(v => !string.IsNullOrEmpty(v)));
        var xen = SysfsReader.Text(Path.Combine(_root, "sys", "hypervisor", "type"));
        return product.Length > 0 ? $"virtual machine ({product})"
            : xen is not null ? $"virtual machine ({xen})"
            : "virtual machine (the CPU flags carry 'hypervisor'; the hypervisor's name is not exposed: no DMI tables)";
    }

    public WorkstationCpu Cpu(List<WorkstationGap> gaps) => _cpu.Read(gaps);

    public WorkstationMemory Memory(List<WorkstationGap> gaps)
    {
        var info = ProcStatParsers.Values(ProcStatParsers.Read(Path.Combine(_root, "proc", "meminfo")));
        var vmstat = ProcStatParsers.Values(ProcStatParsers.Read(Path.Combine(_root, "proc", "vmstat")));
        var (some, _) = ProcStatParsers.Pressure(ProcStatParsers.Read(Path.Combine(_root, "proc", "pressure", "memory")));
        if (some is null)
        {
            gaps.Add(new WorkstationGap { Area = WorkstationArea.Memory, Item = "memory pressure (PSI)", Reason = "no /proc/pressure/memory (kernel without CONFIG_PSI, or psi=0)" });
        }
        long? Get(Dictionary<string, long> d, string key) => d.TryGetValue(key, out var v) ? v : null;
        var swapTotal = Get(info, "SwapTotal");
        return new WorkstationMemory
        {
            TotalBytes = Get(info, "MemTotal") ?? 0,
            AvailableBytes = Get(info, "MemAvailable"),
            SwapTotalBytes = swapTotal,
            SwapUsedBytes = swapTotal - Get(info, "SwapFree"),
            SwapInsSinceBoot = Get(vmstat, "pswpin"),
            PressureSomePercent = some?.Avg300,
        };
    }

    public WorkstationStorage Storage(string role, string path, List<WorkstationGap> gaps) =>
        new LinuxStorageReader(_root, IsLive).Read(role, path, gaps);

    public IReadOnlyDictionary<int, int> CpuNodes() => LinuxNuma.CpuNodes(_root);

    public IReadOnlyList<WorkstationFirmwareUpdate>? FirmwareUpdates(List<WorkstationGap> gaps)
    {
        if (IsLive)
        {
            return FwupdUpdates.Ask(gaps, _cancel);
        }
        var recorded = Path.Combine(_root, "fwupd", "get-updates.json");
        if (!File.Exists(recorded))
        {
            gaps.Add(new WorkstationGap { Area = WorkstationArea.Firmware, Item = "pending firmware updates", Reason = "this recording has no fwupd/get-updates.json (fwupdmgr was not installed)" });
            return null;
        }
        return FwupdUpdates.Parse(File.ReadAllText(recorded), gaps);
    }

    public IReadOnlyDictionary<string, string>? RecordedGoEnvironment()
    {
        var file = Path.Combine(_root, "go-env.json");
        if (IsLive || !File.Exists(file))
        {
            return null;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    public IMachineSampler Sampler(IReadOnlyList<string> adapters) => new LinuxMachineSampler(_root, _cpu, adapters);
}
