using System.Collections.Generic;

namespace GoNetTools.Platform.Linux;

/// <summary>ETHTOOL_GDRVINFO: what `ethtool -i` prints.</summary>
internal sealed record EthtoolDriverInfo(string Driver, string? Version, string? Firmware, string? BusInfo);

/// <summary>ETHTOOL_GCHANNELS: what `ethtool -l` prints (0 where ethtool prints n/a).</summary>
internal sealed record EthtoolChannels(int MaxRx, int MaxTx, int MaxOther, int MaxCombined, int Rx, int Tx, int Other, int Combined);

/// <summary>ETHTOOL_GLINKSETTINGS: speed (Mbit/s, null when unknown) and duplex.</summary>
internal sealed record EthtoolLink(long? SpeedMbps, NicDuplex Duplex);

/// <summary>
/// The ethtool answers the NIC back-end needs. Each returns null when the driver does not support the request
/// (EOPNOTSUPP): that is a normal answer for virtual adapters. Live: the SIOCETHTOOL ioctl; fixtures: recorded
/// `ethtool` text outputs.
/// </summary>
internal interface IEthtool
{
    EthtoolDriverInfo? DriverInfo(string ifname);
    EthtoolChannels? Channels(string ifname);
    EthtoolLink? Link(string ifname);
    /// <summary>RSS indirection table: entry → Rx queue.</summary>
    int[]? Indirection(string ifname);
    /// <summary>Driver statistics by name (ethtool -S), in driver order.</summary>
    IReadOnlyList<KeyValuePair<string, ulong>>? Statistics(string ifname);
}
