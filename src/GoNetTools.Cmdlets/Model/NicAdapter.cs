using System;

namespace GoNetTools;

/// <summary>What kind of link an adapter is.</summary>
public enum NicKind
{
    /// <summary>Wired Ethernet (a physical port, or a virtual function that looks like one).</summary>
    Ethernet,
    /// <summary>Wi-Fi (802.11).</summary>
    Wireless,
    /// <summary>The loopback interface.</summary>
    Loopback,
    /// <summary>A software interface with no hardware behind it (veth, dummy, ifb, bond, macvlan, Hyper-V vEthernet).</summary>
    Virtual,
    /// <summary>A bridge.</summary>
    Bridge,
    /// <summary>A tunnel (GRE, IPIP, SIT, tun/tap, WireGuard, utun).</summary>
    Tunnel,
    /// <summary>Anything else (InfiniBand, CAN, PPP…).</summary>
    Other,
}

/// <summary>Operational state of an adapter (RFC 2863 ifOperStatus, as Linux operstate and Windows report it).</summary>
public enum NicStatus
{
    /// <summary>The OS does not say.</summary>
    Unknown,
    /// <summary>Passing packets.</summary>
    Up,
    /// <summary>Not passing packets (administratively down or no carrier).</summary>
    Down,
    /// <summary>Waiting for an external event (802.1X, Wi-Fi association).</summary>
    Dormant,
    /// <summary>Down because a lower layer (the port under a VLAN or bond) is down.</summary>
    LowerLayerDown,
    /// <summary>A component (often the hardware) is missing.</summary>
    NotPresent,
    /// <summary>In a test mode.</summary>
    Testing,
}

/// <summary>Link duplex.</summary>
public enum NicDuplex
{
    /// <summary>Not reported (no link, or a virtual adapter).</summary>
    Unknown,
    /// <summary>Half duplex.</summary>
    Half,
    /// <summary>Full duplex.</summary>
    Full,
}

/// <summary>
/// One network adapter as the OS reports it: identity, driver, link and the queue/channel layout that decides how
/// receive work is spread over CPUs.
/// </summary>
public sealed class NicAdapter
{
    /// <summary>The name users type: Linux ifname (eth0), Windows alias (Ethernet, Wi-Fi), macOS BSD name (en0).</summary>
    public string Name { get; init; } = "";
    /// <summary>Interface index (ifindex).</summary>
    public int Index { get; init; }
    /// <summary>What kind of link this is.</summary>
    public NicKind Kind { get; init; }
    /// <summary>Driver name (ixgbe, mlx5_core, iwlwifi, virtio_net; Windows driver file or description).</summary>
    public string? Driver { get; init; }
    /// <summary>Driver version, when the driver tells it.</summary>
    public string? DriverVersion { get; init; }
    /// <summary>Firmware version, when the driver tells it.</summary>
    public string? FirmwareVersion { get; init; }
    /// <summary>Bus address of the device (PCI 0000:03:00.0), or null for software interfaces.</summary>
    public string? BusInfo { get; init; }
    /// <summary>Hardware address, lower-case, colon-separated.</summary>
    public string? MacAddress { get; init; }
    /// <summary>MTU in bytes.</summary>
    public int? Mtu { get; init; }
    /// <summary>Operational state.</summary>
    public NicStatus Status { get; init; }
    /// <summary>Link speed in Mbit/s; null when unknown or there is no link.</summary>
    public long? LinkSpeedMbps { get; init; }
    /// <summary>Link duplex.</summary>
    public NicDuplex Duplex { get; init; }
    /// <summary>IP addresses with prefix length ("192.0.2.10/24", "fe80::1/64").</summary>
    public string[] Addresses { get; init; } = Array.Empty<string>();
    /// <summary>Receive queues the OS exposes (Linux queues/rx-N; Windows RSS queues).</summary>
    public int RxQueues { get; init; }
    /// <summary>Transmit queues the OS exposes (Linux queues/tx-N).</summary>
    public int TxQueues { get; init; }
    /// <summary>Combined rx/tx channels in use (ethtool -l "Combined"); null when the driver does not say.</summary>
    public int? CombinedChannels { get; init; }
    /// <summary>Most combined channels the hardware allows; null when the driver does not say.</summary>
    public int? MaxCombinedChannels { get; init; }
    /// <summary>Entries in the RSS indirection table (ethtool -x); null without RSS.</summary>
    public int? RssIndirectionEntries { get; init; }
    /// <summary>Which network stack this adapter lives in: the Linux network namespace, "host" elsewhere.</summary>
    public string Namespace { get; init; } = "host";
    /// <summary>True when real hardware (a bus device) is behind the adapter.</summary>
    public bool IsPhysical { get; init; }
    /// <summary>
    /// The identifier a capture library opens: Linux ifname, Windows interface GUID as "{GUID}" (Npcap prefixes
    /// \Device\NPF_), macOS BSD name.
    /// </summary>
    public string DeviceName { get; init; } = "";
    /// <summary>Free-text description (Windows InterfaceDescription, macOS hardware port), when the OS has one.</summary>
    public string? Description { get; init; }
    /// <summary>PCIe lanes the link runs at now; null when the adapter is not on a PCIe link or the OS does not say (virtio, Wi-Fi on some buses, VMs).</summary>
    public int? PcieLinkWidth { get; init; }
    /// <summary>The most PCIe lanes the adapter supports (a x8 card in a x4 slot shows 4 of 8).</summary>
    public int? PcieMaxLinkWidth { get; init; }
    /// <summary>PCIe link speed now, GT/s (2.5, 5, 8, 16, 32).</summary>
    public double? PcieLinkSpeedGTps { get; init; }
    /// <summary>The fastest PCIe link speed the adapter supports, GT/s.</summary>
    public double? PcieMaxLinkSpeedGTps { get; init; }
    /// <summary>The NUMA node the adapter is attached to; null when the machine or firmware does not say (numa_node -1).</summary>
    public int? NumaNode { get; init; }

    /// <summary>The adapter name.</summary>
    public override string ToString() => Name;
}
