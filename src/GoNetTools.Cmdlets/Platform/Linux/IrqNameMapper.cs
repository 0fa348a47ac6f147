using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GoNetTools.Platform.Linux;

/// <summary>What an interrupt serves: an adapter, and a queue when the driver names one.</summary>
internal sealed record IrqOwner(string Adapter, int? Queue, string? QueueType);

/// <summary>What the mapper knows about one adapter.</summary>
internal sealed record IrqAdapterInfo(string Name, string? Driver, string? BusInfo, string? VirtioDevice, IReadOnlySet<int> MsiIrqs);

/// <summary>
/// Maps an interrupt to its adapter and queue by the names drivers give their vectors, then by the PCI device's
/// msi_irqs: "eth0-TxRx-3" (ixgbe, igb), "i40e-eth0-TxRx-3", "eth0-rx-2" / "eth0-tx-2", "ens5-Tx-Rx-3" (AWS ENA: one vector
/// per queue pair), "mlx5_comp3@pci:0000:5e:00.0" (completion vector 3 serves channel 3), "ena-mgmnt@pci:0000:00:05.0"
/// (a driver's management vector, no queue), "virtio2-input.1" / "virtio2-output.1" where virtio2 is the adapter's
/// virtio device, "iwlwifi: queue 2" (RSS Rx queue 2; "default queue" is queue 0).
/// </summary>
internal static class IrqNameMapper
{
    private static readonly Regex Mlx5 = new(@"^mlx5_(?<kind>comp|async)(?<n>\d+)@pci:(?<bus>\S+)$", RegexOptions.CultureInvariant);
    private static readonly Regex Virtio = new(@"^(?<dev>virtio\d+)-(?<kind>input|output|config|virtqueues|control)(\.(?<n>\d+))?$", RegexOptions.CultureInvariant);
    private static readonly Regex Management = new(@"^(?<driver>[\w.]+)-mgmnt@pci:(?<bus>\S+)$", RegexOptions.CultureInvariant);
    private static readonly Regex Iwl = new(@"^iwlwifi(:\s*(?<what>default queue|queue (?<n>\d+)|exception))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static IrqOwner? Map(int irq, string action, IReadOnlyList<IrqAdapterInfo> adapters)
    {
        foreach (var adapter in adapters)
        {
            var owner = ByName(action, adapter);
            if (owner is not null)
            {
                return owner;
            }
        }
        foreach (var adapter in adapters)
        {
            if (adapter.MsiIrqs.Contains(irq))
            {
                return new IrqOwner(adapter.Name, null, null);
            }
        }
        return null;
    }

    private static IrqOwner? ByName(string action, IrqAdapterInfo adapter)
    {
        var queued = new Regex(@"^(?:[\w.]+-)?" + Regex.Escape(adapter.Name) + @"-(?<type>TxRx|Tx-Rx|txrx|tx-rx|rxtx|rx|tx|Rx|Tx|fp|combined)-(?<n>\d+)$", RegexOptions.CultureInvariant);
        var m = queued.Match(action);
        if (m.Success)
        {
            return new IrqOwner(adapter.Name, Number(m), QueueType(m.Groups["type"].Value));
        }
        if (action == adapter.Name || action.StartsWith(adapter.Name + "-", StringComparison.Ordinal))
        {
            return new IrqOwner(adapter.Name, null, null);
        }
        m = Mlx5.Match(action);
        if (m.Success && adapter.BusInfo is not null && string.Equals(m.Groups["bus"].Value, adapter.BusInfo, StringComparison.OrdinalIgnoreCase))
        {
            return m.Groups["kind"].Value == "comp" ? new IrqOwner(adapter.Name, Number(m), "TxRx") : new IrqOwner(adapter.Name, null, null);
        }
        m = Management.Match(action);
        if (m.Success && adapter.BusInfo is not null && string.Equals(m.Groups["bus"].Value, adapter.BusInfo, StringComparison.OrdinalIgnoreCase))
        {
            return new IrqOwner(adapter.Name, null, null);
        }
        m = Virtio.Match(action);
        if (m.Success && m.Groups["dev"].Value == adapter.VirtioDevice)
        {
            return m.Groups["kind"].Value switch
            {
                "input" when m.Groups["n"].Success => new IrqOwner(adapter.Name, Number(m), "Rx"),
                "output" when m.Groups["n"].Success => new IrqOwner(adapter.Name, Number(m), "Tx"),
                _ => new IrqOwner(adapter.Name, null, null),
            };
        }
        m = Iwl.Match(action);
        if (m.Success && adapter.Driver is not null && adapter.Driver.StartsWith("iwl", StringComparison.Ordinal))
        {
            var what = m.Groups["what"].Value;
            return what.StartsWith("default", StringComparison.OrdinalIgnoreCase) ? new IrqOwner(adapter.Name, 0, "Rx")
                : m.Groups["n"].Success ? new IrqOwner(adapter.Name, Number(m), "Rx")
                : new IrqOwner(adapter.Name, null, null);
        }
        return null;
    }

    private static int Number(Match m) => int.Parse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string QueueType(string driverWord) => driverWord.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal) switch
    {
        "rx" => "Rx",
        "tx" => "Tx",
        _ => "TxRx",
    };
}
