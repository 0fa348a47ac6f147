using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using Microsoft.Management.Infrastructure;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows adapters through CIM (root/StandardCimv2: MSFT_NetAdapter, MSFT_NetAdapterRssSettingData,
/// MSFT_NetAdapterHardwareInfoSettingData, MSFT_NetIPAddress), mapped by <see cref="WindowsNicMapper"/>.
/// Interrupt affinity on Windows is a per-device registry policy applied at device start, and RPS/XPS do not
/// exist there, so the setters refuse with a message that says what to use instead.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsNicSource : INicSource
{
    private const string Namespace = "root/StandardCimv2";

    public string Scope => "host";

    public IEnumerable<NicAdapter> GetAdapters()
    {
        using var session = CimSession.Create(null);
        var rss = ByName(Query(session, "MSFT_NetAdapterRssSettingData"));
        var hardware = ByName(Query(session, "MSFT_NetAdapterHardwareInfoSettingData"));
        var addresses = Query(session, "MSFT_NetIPAddress")
            .Where(a => WindowsNicMapper.Text(a, "IPAddress") is not null)
            .GroupBy(a => WindowsNicMapper.Long(a, "InterfaceIndex") ?? -1)
            .ToDictionary(g => g.Key, g => g.Select(a => $"{WindowsNicMapper.Text(a, "IPAddress")}/{WindowsNicMapper.Long(a, "PrefixLength")}").ToArray());
        return Query(session, "MSFT_NetAdapter")
            .Select(a =>
            {
                var name = WindowsNicMapper.Text(a, "Name") ?? "";
                return WindowsNicMapper.Adapter(a, rss.GetValueOrDefault(name), hardware.GetValueOrDefault(name),
                    addresses.GetValueOrDefault(WindowsNicMapper.Long(a, "InterfaceIndex") ?? -2, Array.Empty<string>()));
            })
            .OrderBy(a => a.Index)
            .ToList();
    }

    public string? AliasTarget(string alias) => null;

    public IEnumerable<NicQueue> GetQueues(NicAdapter adapter)
    {
        using var session = CimSession.Create(null);
        var rss = ByName(Query(session, "MSFT_NetAdapterRssSettingData")).GetValueOrDefault(adapter.Name);
        return WindowsNicMapper.Queues(adapter, rss).ToList();
    }

    public IReadOnlyList<NicInterrupt> GetInterrupts(IReadOnlyList<NicAdapter> adapters) => throw InterruptPolicy();

    public IReadOnlyList<int> OnlineCpus() => Enumerable.Range(0, Environment.ProcessorCount).ToArray();

    public IrqBalanceStatus? IrqBalance(int irq) => null;

    public void SetInterruptAffinity(int irq, IReadOnlyList<int> cpus) => throw InterruptPolicy();

    public void SetQueueCpus(NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus) =>
        throw new GoNetToolsException(ErrorIds.PlatformNotSupported, FailureKind.NotImplemented,
            "RPS and XPS are Linux features; Windows spreads receive work with RSS only.",
            $"Use Set-NetAdapterRss -Name '{adapter.Name}' -BaseProcessorNumber N -MaxProcessors M (it can restart the adapter).");

    private static GoNetToolsException InterruptPolicy() =>
        new(ErrorIds.PlatformNotSupported, FailureKind.NotImplemented,
            "Windows does not expose per-queue interrupt counts, and interrupt affinity there is a registry policy of the device " +
            "(HKLM\\SYSTEM\\CurrentControlSet\\Enum\\<device>\\Device Parameters\\Interrupt Management\\Affinity Policy: DevicePolicy, AssignmentSetOverride) " +
            "that takes effect only when the device restarts.",
            "Steer receive work with Set-NetAdapterRss; change the affinity policy with the Interrupt-Affinity Policy Tool or the registry, then restart the adapter (Restart-NetAdapter).");

    private static List<IReadOnlyDictionary<string, object?>> Query(CimSession session, string className) =>
        CimQuery.Instances(session, Namespace, className, ErrorIds.NicInfoUnavailable);

    private static Dictionary<string, IReadOnlyDictionary<string, object?>> ByName(List<IReadOnlyDictionary<string, object?>> instances) =>
        instances.Where(i => WindowsNicMapper.Text(i, "Name") is not null)
            .GroupBy(i => WindowsNicMapper.Text(i, "Name")!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
}
