using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// macOS adapters from `ifconfig -a -v` (getifaddrs underneath) and `networksetup -listallhardwareports` (which
/// names the Wi-Fi and Ethernet hardware ports). macOS exposes no NIC queues or interrupt placement.
/// </summary>
[SupportedOSPlatform("macos")]
internal sealed class MacNicSource : INicSource
{
    private List<MacHardwarePort>? _ports;

    public string Scope => "host";

    public IEnumerable<NicAdapter> GetAdapters()
    {
        var ports = Ports();
        return MacNicParsers.Ifconfig(Run("/sbin/ifconfig", "-a -v"))
            .Select(i => MacNicParsers.Adapter(i, ports.FirstOrDefault(p => p.Device == i.Name)))
            .OrderBy(a => a.Index)
            .ToList();
    }

    public string? AliasTarget(string alias) => MacNicParsers.AliasTarget(Ports(), alias);

    public IEnumerable<NicQueue> GetQueues(NicAdapter adapter) => throw NotExposed("NIC queues");

    public IReadOnlyList<NicInterrupt> GetInterrupts(IReadOnlyList<NicAdapter> adapters) => throw NotExposed("NIC interrupts");

    public IReadOnlyList<int> OnlineCpus() => Enumerable.Range(0, Environment.ProcessorCount).ToArray();

    public IrqBalanceStatus? IrqBalance(int irq) => null;

    public void SetInterruptAffinity(int irq, IReadOnlyList<int> cpus) => throw NotExposed("Interrupt affinity");

    public void SetQueueCpus(NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus) => throw NotExposed("RPS/XPS");

    private List<MacHardwarePort> Ports() => _ports ??= MacNicParsers.HardwarePorts(Run("/usr/sbin/networksetup", "-listallhardwareports"));

    private static GoNetToolsException NotExposed(string what) =>
        new(ErrorIds.PlatformNotSupported, FailureKind.NotImplemented, $"{what} are not exposed by macOS.",
            "Get-NicAdapter works on macOS; queue and interrupt placement is managed by the kernel and driver there.");

    /// <summary>networksetup through the one runner, 30 s at most (it used to be waited for without a limit).</summary>
    private static string[] Run(string file, string arguments)
    {
        var result = ProcessCommandRunner.RunTool(file, arguments, ProcessCommandRunner.Timeout, out var problem);
        if (result is null || result.TimedOut)
        {
            throw new GoNetToolsException(ErrorIds.NicInfoUnavailable, result is null ? FailureKind.ResourceUnavailable : FailureKind.OperationTimeout,
                $"Running {file} {arguments} failed: {problem ?? $"it did not finish in {ProcessCommandRunner.Timeout.TotalSeconds:0} s"}",
                $"Check that {file} exists and runs.");
        }
        return result.StandardOutput.Split('\n');
    }
}
