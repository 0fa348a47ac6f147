using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.NetworkInformation;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Linux adapters from /sys/class/net under the system root, with driver, channels, link and RSS from the
/// SIOCETHTOOL ioctl on a live system (recorded ethtool output in a fixture tree). Queues and interrupts are in
/// <see cref="LinuxNicQueues"/> and <see cref="LinuxNicInterrupts"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxNicSource : INicSource
{
    // include/uapi/linux/if_arp.h
    private const int ArphrdEther = 1, ArphrdLoopback = 772, ArphrdNone = 65534;
    private static readonly int[] TunnelTypes = { 768, 769, 776, 778, 823 }; // TUNNEL, TUNNEL6, SIT, IPGRE, IP6GRE
    private const int IffUp = 0x1;

    private readonly string _root;
    private readonly bool _live;

    public LinuxNicSource(string systemRoot)
    {
        _root = systemRoot;
        _live = Path.GetFullPath(systemRoot) == "/";
        Ethtool = _live ? new EthtoolIoctl() : new EthtoolRecorded(systemRoot);
    }

    internal IEthtool Ethtool { get; }

    internal string NetDir => Path.Combine(_root, "sys", "class", "net");

    public string Scope => NetworkNamespace.Describe(_root);

    public IEnumerable<NicAdapter> GetAdapters()
    {
        if (!Directory.Exists(NetDir))
        {
            throw new GoNetToolsException(ErrorIds.NicInfoUnavailable, FailureKind.ResourceUnavailable,
                $"{NetDir} does not exist, so the adapters cannot be listed.", "Mount sysfs at /sys (it is missing in some containers).");
        }
        var scope = Scope;
        var addresses = _live ? LiveAddresses() : new Dictionary<string, string[]>();
        return Directory.EnumerateFileSystemEntries(NetDir)
            .Select(dir => Read(Path.GetFileName(dir), scope, addresses))
            .OrderBy(a => a.Index)
            .ToList();
    }

    public string? AliasTarget(string alias) => null;

    public IEnumerable<NicQueue> GetQueues(NicAdapter adapter) => LinuxNicQueues.Read(this, adapter);

    public IReadOnlyList<NicInterrupt> GetInterrupts(IReadOnlyList<NicAdapter> adapters) => LinuxNicInterrupts.Read(_root, this, adapters);

    public IReadOnlyList<int> OnlineCpus() =>
        Foundation.CpuSet.TryParseList(SysfsReader.Text(Path.Combine(_root, "sys", "devices", "system", "cpu", "online"))) ?? Array.Empty<int>();

    public IrqBalanceStatus? IrqBalance(int irq) => LinuxNicInterrupts.IrqBalance(_root, irq);

    public void SetInterruptAffinity(int irq, IReadOnlyList<int> cpus) => LinuxNicInterrupts.WriteAffinity(_root, irq, cpus);

    public void SetQueueCpus(NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus) =>
        LinuxNicQueues.WriteCpus(this, adapter, direction, index, cpus);

    /// <summary>The device directory behind an interface (resolved), or null for software interfaces.</summary>
    internal string? DeviceDir(string ifname) => SysfsReader.RealPath(Path.Combine(NetDir, ifname, "device"));

    /// <summary>The PCI (or other bus) device that owns the interrupts: virtio devices hang under their PCI function.</summary>
    internal string? BusDeviceDir(string ifname)
    {
        var device = DeviceDir(ifname);
        return device is not null && Path.GetFileName(device).StartsWith("virtio", StringComparison.Ordinal)
            ? Path.GetDirectoryName(device)
            : device;
    }

    private NicAdapter Read(string name, string scope, Dictionary<string, string[]> addresses)
    {
        var dir = Path.Combine(NetDir, name);
        string? Attr(string file) => SysfsReader.Text(Path.Combine(dir, file));
        long? Num(string file) => SysfsReader.Number(Path.Combine(dir, file));

        var type = (int)(Num("type") ?? ArphrdEther);
        var device = DeviceDir(name);
        var busDevice = BusDeviceDir(name);
        var sysDriver = device is null ? null : SysfsReader.RealPath(Path.Combine(device, "driver")) is { } d ? Path.GetFileName(d) : null;
        var info = Ethtool.DriverInfo(name);
        var driver = info?.Driver ?? sysDriver;
        var channels = Ethtool.Channels(name);
        var link = Ethtool.Link(name);
        var table = Ethtool.Indirection(name);
        var queues = Path.Combine(dir, "queues");
        var speed = link?.SpeedMbps ?? (Num("speed") is > 0 and var s ? s : null);
        var pcie = LinuxNuma.PcieLink(busDevice);

        return new NicAdapter
        {
            Name = name,
            DeviceName = name,
            Index = (int)(Num("ifindex") ?? 0),
            Kind = KindOf(dir, name, type, device is not null),
            Driver = driver,
            DriverVersion = info?.Version ?? (driver is null ? null : SysfsReader.Text(Path.Combine(_root, "sys", "module", driver, "version"))),
            FirmwareVersion = info?.Firmware,
            BusInfo = info?.BusInfo ?? (busDevice is null ? null : Path.GetFileName(busDevice)),
            MacAddress = Attr("address") is { Length: > 0 } mac && type != ArphrdLoopback ? mac.ToLowerInvariant() : null,
            Mtu = (int?)Num("mtu"),
            Status = StatusOf(Attr("operstate"), Num("flags") ?? 0, Num("carrier")),
            LinkSpeedMbps = speed,
            Duplex = link is { Duplex: not NicDuplex.Unknown } ? link.Duplex : DuplexOf(Attr("duplex")),
            Addresses = addresses.TryGetValue(name, out var a) ? a : Array.Empty<string>(),
            RxQueues = CountQueues(queues, "rx-"),
            TxQueues = CountQueues(queues, "tx-"),
            CombinedChannels = channels is { Combined: > 0 } ? channels.Combined : null,
            MaxCombinedChannels = channels is { MaxCombined: > 0 } ? channels.MaxCombined : null,
            RssIndirectionEntries = table?.Length,
            Namespace = scope,
            IsPhysical = device is not null,
            PcieLinkWidth = pcie.Width,
            PcieMaxLinkWidth = pcie.MaxWidth,
            PcieLinkSpeedGTps = pcie.Speed,
            PcieMaxLinkSpeedGTps = pcie.MaxSpeed,
            NumaNode = LinuxNuma.DeviceNode(busDevice),
        };
    }

    private static NicKind KindOf(string dir, string name, int type, bool hasDevice)
    {
        if (type == ArphrdLoopback)
        {
            return NicKind.Loopback;
        }
        if (Directory.Exists(Path.Combine(dir, "wireless")) || Exists(Path.Combine(dir, "phy80211")))
        {
            return NicKind.Wireless;
        }
        if (Directory.Exists(Path.Combine(dir, "bridge")))
        {
            return NicKind.Bridge;
        }
        if (File.Exists(Path.Combine(dir, "tun_flags")) || Array.IndexOf(TunnelTypes, type) >= 0 || type == ArphrdNone)
        {
            return NicKind.Tunnel;
        }
        if (type == ArphrdEther)
        {
            return hasDevice ? NicKind.Ethernet : NicKind.Virtual;
        }
        return NicKind.Other;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static NicStatus StatusOf(string? operstate, long flags, long? carrier) => operstate switch
    {
        "up" => NicStatus.Up,
        "down" => NicStatus.Down,
        "dormant" => NicStatus.Dormant,
        "lowerlayerdown" => NicStatus.LowerLayerDown,
        "notpresent" => NicStatus.NotPresent,
        "testing" => NicStatus.Testing,
        // Loopback, tun and other drivers without link state report "unknown": judge by IFF_UP and carrier.
        _ when (flags & IffUp) == 0 => NicStatus.Down,
        _ when carrier == 1 => NicStatus.Up,
        _ => NicStatus.Unknown,
    };

    private static NicDuplex DuplexOf(string? text) => text switch
    {
        "full" => NicDuplex.Full,
        "half" => NicDuplex.Half,
        _ => NicDuplex.Unknown,
    };

    private static int CountQueues(string queuesDir, string prefix) =>
        Directory.Exists(queuesDir) ? Directory.EnumerateDirectories(queuesDir, prefix + "*").Count() : 0;

    /// <summary>Addresses per interface from getifaddrs (this process's network namespace).</summary>
    private static Dictionary<string, string[]> LiveAddresses()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                result[nic.Name] = nic.GetIPProperties().UnicastAddresses
                    .Select(u => $"{u.Address.ToString().Split('%')[0]}/{u.PrefixLength}").ToArray();
            }
        }
        catch (NetworkInformationException)
        {
            // Addresses are an extra; the adapter listing stands without them.
        }
        return result;
    }
}
