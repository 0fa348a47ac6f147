using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Turns CIM instance properties (root/StandardCimv2 MSFT_NetAdapter, MSFT_NetAdapterRssSettingData,
/// MSFT_NetAdapterHardwareInfoSettingData) into models. Pure: takes name → value dictionaries, so recorded instances
/// drive it on any OS. Numbers may arrive as any integer type (CIM uint32/uint64) or as text.
/// </summary>
internal static class WindowsNicMapper
{
    // MSFT_NetAdapter.InterfaceOperationalStatus (RFC 2863 ifOperStatus).
    private static readonly NicStatus[] OperStatus =
        { NicStatus.Unknown, NicStatus.Up, NicStatus.Down, NicStatus.Testing, NicStatus.Unknown, NicStatus.Dormant, NicStatus.NotPresent, NicStatus.LowerLayerDown };

    // IANA ifType values MSFT_NetAdapter.InterfaceType uses.
    private const long IfEthernet = 6, IfLoopback = 24, IfTunnel = 131, Ieee80211 = 71, IfBridge = 209;
    // NDIS_PHYSICAL_MEDIUM: 1 WirelessLan, 8 WirelessWan, 9 Native802_11.
    private static readonly long[] WirelessMedia = { 1, 8, 9 };

    public static NicAdapter Adapter(IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?>? rss,
        IReadOnlyDictionary<string, object?>? hardware, string[] addresses)
    {
        var hardwareInterface = Bool(a, "HardwareInterface") ?? false;
        var rssEnabled = rss is not null && (Bool(rss, "Enabled") ?? false);
        var speed = Long(a, "ReceiveLinkSpeed") ?? Long(a, "Speed");
        var status = Long(a, "InterfaceOperationalStatus") is { } s && s >= 0 && s < OperStatus.Length ? OperStatus[s] : NicStatus.Unknown;
        return new NicAdapter
        {
            Name = Text(a, "Name") ?? "",
            Index = (int)(Long(a, "InterfaceIndex") ?? 0),
            Kind = KindOf(Long(a, "InterfaceType"), Long(a, "NdisPhysicalMedium"), hardwareInterface, Bool(a, "Virtual") ?? false),
            Driver = Text(a, "DriverFileName") ?? Text(a, "DriverDescription"),
            DriverVersion = Text(a, "DriverVersionString"),
            FirmwareVersion = null,
            BusInfo = hardware is null ? null : PciAddress(hardware),
            MacAddress = Mac(Text(a, "PermanentAddress") ?? (a.TryGetValue("NetworkAddresses", out var n) && n is IEnumerable<object?> list ? list.FirstOrDefault()?.ToString() : null)),
            Mtu = (int?)Long(a, "MtuSize"),
            Status = status,
            LinkSpeedMbps = status == NicStatus.Up && speed is > 0 ? speed / 1_000_000 : null,
            Duplex = status != NicStatus.Up ? NicDuplex.Unknown : Bool(a, "FullDuplex") switch { true => NicDuplex.Full, false => NicDuplex.Half, _ => NicDuplex.Unknown },
            Addresses = addresses,
            RxQueues = rssEnabled ? (int)(Long(rss!, "NumberOfReceiveQueues") ?? 1) : 1,
            TxQueues = 0,
            RssIndirectionEntries = rssEnabled && rss!.TryGetValue("IndirectionTable", out var table) && table is IEnumerable<object?> entries ? entries.Count() : null,
            Namespace = "host",
            IsPhysical = hardwareInterface,
            DeviceName = Text(a, "InterfaceGuid") ?? Text(a, "DeviceID") ?? "",
            Description = Text(a, "InterfaceDescription"),
            PcieLinkWidth = hardware is null ? null : Positive(hardware, "PciExpressCurrentLinkWidth"),
            PcieMaxLinkWidth = hardware is null ? null : Positive(hardware, "PciExpressMaxLinkWidth"),
            PcieLinkSpeedGTps = hardware is null ? null : LinkSpeed(Long(hardware, "PciExpressCurrentLinkSpeedEncoded")),
            PcieMaxLinkSpeedGTps = hardware is null ? null : LinkSpeed(Long(hardware, "PciExpressMaxLinkSpeedEncoded")),
            NumaNode = hardware is not null && Long(hardware, "NumaNode") is >= 0 and < 0xFFFF and var node ? (int)node : null,
        };
    }

    /// <summary>
    /// The RSS receive queues of one adapter, with the CPUs RSS may use (RssProcessorArray). On machines with more
    /// than 64 logical CPUs Windows numbers them per processor group: group 0 alone prints as a plain list ("0,2,4"),
    /// anything beyond it as "group:list" per group ("0:48,52; 1:0,4"), so a CPU of group 1 never reads as group 0's.
    /// </summary>
    public static IEnumerable<NicQueue> Queues(NicAdapter adapter, IReadOnlyDictionary<string, object?>? rss)
    {
        var affinity = rss is not null && rss.TryGetValue("RssProcessorArray", out var array) && array is IEnumerable<object?> processors
            ? ProcessorSet(processors.OfType<IReadOnlyDictionary<string, object?>>()
                .Select(p => (Group: (int)(Long(p, "ProcessorGroup") ?? 0), Number: (int)(Long(p, "ProcessorNumber") ?? 0))))
            : null;
        for (var i = 0; i < adapter.RxQueues; i++)
        {
            yield return new NicQueue
            {
                Adapter = adapter.Name,
                Direction = NicQueueDirection.Rx,
                Index = i,
                IrqAffinity = affinity,
            };
        }
    }

    /// <summary>"0,2,4" when every processor is in group 0; else "0:48,52; 1:0,4" (group:CPU list, groups in order).</summary>
    internal static string ProcessorSet(IEnumerable<(int Group, int Number)> processors)
    {
        var groups = processors.GroupBy(p => p.Group).OrderBy(g => g.Key).ToList();
        if (groups.Count == 0 || (groups.Count == 1 && groups[0].Key == 0))
        {
            return Foundation.CpuSet.FormatList(groups.SelectMany(g => g.Select(p => p.Number)).Distinct().OrderBy(c => c).ToArray());
        }
        return string.Join("; ", groups.Select(g =>
            g.Key.ToString(CultureInfo.InvariantCulture) + ":" + Foundation.CpuSet.FormatList(g.Select(p => p.Number).Distinct().OrderBy(c => c).ToArray())));
    }

    private static NicKind KindOf(long? ifType, long? medium, bool hardware, bool isVirtual)
    {
        if (ifType == IfLoopback)
        {
            return NicKind.Loopback;
        }
        if (ifType == Ieee80211 || (medium is { } m && WirelessMedia.Contains(m)))
        {
            return NicKind.Wireless;
        }
        if (ifType == IfTunnel)
        {
            return NicKind.Tunnel;
        }
        if (ifType == IfBridge)
        {
            return NicKind.Bridge;
        }
        if (ifType == IfEthernet)
        {
            return hardware && !isVirtual ? NicKind.Ethernet : NicKind.Virtual;
        }
        return hardware ? NicKind.Other : NicKind.Virtual;
    }

    /// <summary>"A0369F123456" or "A0-36-9F-12-34-56" → "a0:36:9f:12:34:56".</summary>
    internal static string? Mac(string? raw)
    {
        var hex = new string((raw ?? "").Where(Uri.IsHexDigit).ToArray()).ToLowerInvariant();
        return hex.Length == 12 ? string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))) : null;
    }

    /// <summary>
    /// PCI segment:bus:device.function as Linux and ethtool print it, from the hardware-info instance: CIM names the
    /// properties BusNumber/DeviceNumber/FunctionNumber/SegmentNumber; Get-NetAdapterHardwareInfo output adds the
    /// aliases Bus/Device/Function/Segment, which recordings made through it carry.
    /// </summary>
    private static string? PciAddress(IReadOnlyDictionary<string, object?> h) =>
        (Long(h, "BusNumber") ?? Long(h, "Bus")) is { } bus && (Long(h, "DeviceNumber") ?? Long(h, "Device")) is { } device
            && (Long(h, "FunctionNumber") ?? Long(h, "Function")) is { } function
            ? string.Create(CultureInfo.InvariantCulture, $"{Long(h, "SegmentNumber") ?? Long(h, "Segment") ?? 0:x4}:{bus:x2}:{device:x2}.{function:x1}")
            : null;

    /// <summary>DevProp_PciExpressDevice_LinkSpeed_*: 1 = 2.5 GT/s, 2 = 5, 3 = 8, 4 = 16, 5 = 32; 0 or other values unknown.</summary>
    internal static double? LinkSpeed(long? encoded) => encoded switch
    {
        1 => 2.5,
        2 => 5,
        3 => 8,
        4 => 16,
        5 => 32,
        _ => null,
    };

    private static int? Positive(IReadOnlyDictionary<string, object?> d, string key) => Long(d, key) is > 0 and < 1024 and var v ? (int)v : null;

    internal static string? Text(IReadOnlyDictionary<string, object?> d, string key) =>
        d.TryGetValue(key, out var v) && v is not null && v.ToString() is { Length: > 0 } s ? s : null;

    internal static long? Long(IReadOnlyDictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) ? v switch
    {
        null => null,
        string s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
        bool => null,
        IConvertible c => Convert.ToInt64(c, CultureInfo.InvariantCulture),
        _ => null,
    } : null;

    internal static bool? Bool(IReadOnlyDictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) ? v switch
    {
        bool b => b,
        string s => bool.TryParse(s, out var b) ? b : null,
        _ => null,
    } : null;
}
