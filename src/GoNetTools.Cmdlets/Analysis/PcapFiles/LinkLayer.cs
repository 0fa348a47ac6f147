using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>Finds the IP header inside a link-layer frame, for the link types captures on Go proxies use.</summary>
internal static class LinkLayer
{
    public const int Null = 0;
    public const int Ethernet = 1;
    public const int RawBsd = 12;
    public const int RawIp = 101;
    public const int Loop = 108;
    public const int LinuxSll = 113;
    public const int RawIPv4 = 228;
    public const int RawIPv6 = 229;
    public const int LinuxSll2 = 276;

    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88A8;
    private const ushort EtherTypeVlan9100 = 0x9100;

    /// <summary>True when the payload looks like a link type this reader can decode.</summary>
    public static bool IsSupported(int linkType) => linkType is Null or Ethernet or RawBsd or RawIp or Loop or LinuxSll or RawIPv4 or RawIPv6 or LinuxSll2;

    /// <summary>The IP packet inside <paramref name="frame"/>, or false for non-IP frames and unknown link types.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryGetIp(int linkType, ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> ip)
    {
        ip = default;
        switch (linkType)
        {
            case Ethernet:
                return frame.Length >= 14 && TryEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[12..]), frame[14..], out ip);
            case LinuxSll:
                // 16-byte cooked header: packet type, ARPHRD, address length, 8 address bytes, protocol.
                return frame.Length >= 16 && TryEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]), frame[16..], out ip);
            case LinuxSll2:
                // 20-byte cooked v2 header: protocol first, then reserved, ifindex, ARPHRD, type, address.
                return frame.Length >= 20 && TryEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame), frame[20..], out ip);
            case RawIp or RawBsd or RawIPv4 or RawIPv6:
                ip = frame;
                return frame.Length > 0;
            case Null or Loop:
            {
                if (frame.Length < 4)
                {
                    return false;
                }
                // DLT_NULL stores the address family in the capturing host's byte order; LOOP in network order.
                // AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 depending on the OS.
                var family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                if (family > 0xFFFF)
                {
                    family = BinaryPrimitives.ReverseEndianness(family);
                }
                if (family is 2 or 10 or 24 or 28 or 30)
                {
                    ip = frame[4..];
                    return true;
                }
                return false;
            }
            default:
                return false;
        }
    }

    private static bool TryEtherType(ushort etherType, ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> ip)
    {
        // 802.1Q / 802.1ad tags: 2 bytes TCI then the inner EtherType; stacked tags repeat.
        for (var tags = 0; tags < 4 && etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeVlan9100; tags++)
        {
            if (rest.Length < 4)
            {
                ip = default;
                return false;
            }
            etherType = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            rest = rest[4..];
        }
        ip = rest;
        return etherType is EtherTypeIPv4 or EtherTypeIPv6;
    }
}
