using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation.Processes;
using GoNetTools.GoModDownload;
using GoNetTools.Platform;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation;

/// <summary>
/// Test-GoWorkstation's workflow: read CPU, memory, the storage behind the user's GOCACHE and GOMODCACHE (asked of
/// go itself, read-only), the physical adapters with their PCIe link and interrupts, fwupd's view; on the live
/// machine run `go list -deps std` in a throwaway cache and count swap-ins; optionally the cold hello-world builds;
/// then the rules. What is not exposed becomes a gap with its reason.
/// </summary>
internal sealed class WorkstationCheck
{
    private readonly IWorkstationSource _source;
    private readonly INicSource _nic;
    private readonly string? _go;
    private readonly CancellationToken _cancel;
    private readonly List<WorkstationGap> _gaps = new();

    public WorkstationCheck(IWorkstationSource source, INicSource nic, string? go, CancellationToken cancel)
    {
        _source = source;
        _nic = nic;
        _go = go;
        _cancel = cancel;
    }

    /// <summary>Run `go list -deps std` and count swap-ins (live machine with go only).</summary>
    public bool Probe { get; init; } = true;

    /// <summary>Cold hello-world builds to run (0: none).</summary>
    public int BuildRuns { get; init; }

    public Action<string, int>? Progress { get; init; }

    public Action<string, string>? RunFailed { get; init; }

    public WorkstationReport Run()
    {
        Progress?.Invoke("Reading CPU and memory", 0);
        var cpu = _source.Cpu(_gaps);
        var memory = _source.Memory(_gaps);
        Progress?.Invoke("Finding the storage behind GOCACHE and GOMODCACHE", 15);
        var goEnv = GoEnvironment();
        var storage = new[] { "GOCACHE", "GOMODCACHE" }.Where(goEnv.ContainsKey).Select(role => _source.Storage(role, goEnv[role], _gaps)).ToArray();
        Progress?.Invoke("Reading network adapters", 30);
        var (adapters, interrupts) = Adapters();
        Progress?.Invoke("Asking fwupd for pending firmware updates", 40);
        var firmware = _source.FirmwareUpdates(_gaps) ?? Array.Empty<WorkstationFirmwareUpdate>();
        if (Probe)
        {
            Progress?.Invoke("go list -deps std (counting swap-ins)", 50);
            memory = ProbeMemory(memory);
        }
        GoBuildMeasurement? build = null;
        if (BuildRuns > 0 && _go is not null)
        {
            Progress?.Invoke($"{BuildRuns} cold hello-world builds", 70);
            build = new GoBuildBench(_source, _go, _cancel) { RunFailed = RunFailed }.Run(new[] { GoBuildJudge.HelloWorld }, BuildRuns).First();
        }
        var findings = WorkstationRules.Evaluate(new WorkstationFacts
        {
            Cpu = cpu, Memory = memory, Storage = storage, Adapters = adapters, Interrupts = interrupts, FirmwareUpdates = firmware, Build = build,
        });
        return new WorkstationReport
        {
            ComputerName = Environment.MachineName,
            OperatingSystem = _source.OperatingSystem(),
            Virtualization = _source.Virtualization(),
            Verdict = WorkstationRules.Verdict(findings),
            Cpu = cpu,
            Memory = memory,
            Storage = storage,
            Adapters = adapters.ToArray(),
            FirmwareUpdates = firmware.ToArray(),
            Build = build,
            Findings = findings,
            NotExposed = _gaps.GroupBy(g => (g.Area, g.Item)).Select(g => g.First()).ToArray(),
            Source = _source.Source,
        };
    }

    private (List<NicAdapter>, IReadOnlyList<NicInterrupt>) Adapters()
    {
        var adapters = _nic.GetAdapters().Where(a => a.IsPhysical).ToList();
        IReadOnlyList<NicInterrupt> interrupts = Array.Empty<NicInterrupt>();
        try
        {
            interrupts = adapters.Count == 0 ? interrupts : _nic.GetInterrupts(adapters);
        }
        catch (GoNetToolsException e) when (e.Kind == FailureKind.NotImplemented)
        {
            _gaps.Add(Gap(WorkstationArea.Nic, "interrupt placement of the adapters", e.Message));
        }
        var multiNode = _source.CpuNodes().Values.Distinct().Count() > 1;
        foreach (var nic in adapters)
        {
            if (nic.PcieLinkWidth is null)
            {
                _gaps.Add(Gap(WorkstationArea.Nic, $"PCIe link of {nic.Name}",
                    nic.Driver?.StartsWith("virtio", StringComparison.Ordinal) == true ? $"{nic.Driver} is a paravirtual device: it has no PCIe link of its own"
                    : nic.BusInfo is null || !nic.BusInfo.Contains(':', StringComparison.Ordinal) ? $"{nic.Name} is not on a PCI bus ({nic.BusInfo ?? "no bus address"})"
                    : $"the kernel shows no PCIe link for {nic.BusInfo}: a device integrated in the chipset or root complex has none, nor has conventional PCI"));
            }
            if (multiNode && nic.NumaNode is null)
            {
                _gaps.Add(Gap(WorkstationArea.Nic, $"NUMA node of {nic.Name}", "the firmware gives the device no NUMA proximity (numa_node -1)"));
            }
        }
        return (adapters, interrupts);
    }

    /// <summary>The user's GOCACHE and GOMODCACHE: a recording's go-env.json, `go env -json` (read-only), or Go's defaults without go.</summary>
    private Dictionary<string, string> GoEnvironment()
    {
        if (_source.RecordedGoEnvironment() is { } recorded)
        {
            return new Dictionary<string, string>(recorded, StringComparer.Ordinal);
        }
        if (_go is not null)
        {
            var result = ChildProcess.Run(new ProcessSpec(_go, new[] { "env", "-json", "GOCACHE", "GOMODCACHE", "GOVERSION" }), TimeSpan.FromSeconds(60), _cancel);
            if (result.ExitCode == 0)
            {
                using var json = JsonDocument.Parse(result.StandardOutput);
                return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length > 0)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }
        }
        _gaps.Add(Gap(WorkstationArea.Storage, "go env", "go is not installed here, so Go's default cache locations were checked"));
        return GoDefaults.Locations();
    }

    private WorkstationMemory ProbeMemory(WorkstationMemory memory)
    {
        if (!_source.IsLive || _go is null)
        {
            _gaps.Add(Gap(WorkstationArea.Memory, "swap-ins under go list -deps std",
                _go is null ? "go is not installed" : "the facts come from a recording, where no probe can run"));
            return memory;
        }
        using var directory = PrivateDirectory.Create("golist");
        var sampler = _source.Sampler(Array.Empty<string>());
        var before = sampler.Sample(TimeSpan.Zero, "before");
        var spec = new ProcessSpec(_go, new[] { "list", "-deps", "std" }) { Environment = GoSandbox.Environment(directory.Path), WorkingDirectory = directory.Path, OutputLimit = 1 << 16 };
        var result = ChildProcess.Run(spec, TimeSpan.FromMinutes(5), _cancel);
        var after = sampler.Sample(result.Elapsed, "after");
        if (result.ExitCode != 0)
        {
            RunFailed?.Invoke("go list -deps std", result.StandardError.Trim());
        }
        return new WorkstationMemory
        {
            TotalBytes = memory.TotalBytes, AvailableBytes = memory.AvailableBytes, SwapTotalBytes = memory.SwapTotalBytes, SwapUsedBytes = memory.SwapUsedBytes,
            SwapInsSinceBoot = memory.SwapInsSinceBoot, PressureSomePercent = memory.PressureSomePercent,
            ProbeCommand = "go list -deps std",
            ProbeSwapIns = after.SwapIns - before.SwapIns,
            ProbeDuration = result.Elapsed,
        };
    }

    private static WorkstationGap Gap(WorkstationArea area, string item, string reason) => new() { Area = area, Item = item, Reason = reason };
}
