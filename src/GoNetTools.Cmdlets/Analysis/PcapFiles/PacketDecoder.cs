using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// IPv4 / IPv6 (hop-by-hop, routing, destination-options, fragment and AH extension headers) and TCP
/// header decoding over spans. Anything that is not a whole-enough TCP segment returns false.
/// </summary>
internal static class PacketDecoder
{
    private const byte ProtocolTcp = 6;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(in CapturedPacket packet, out TcpSegment segment)
    {
        segment = default;
        if (!LinkLayer.TryGetIp(packet.LinkType, packet.Data, out var ip) || ip.Length < 1)
        {
            return false;
        }
        // How much of the IP packet the snap length cut off: the declared lengths stay right, the bytes do not.
        var version = ip[0] >> 4;
        if (version == 4)
        {
            return TryIPv4(packet.TimestampTicks, ip, out segment);
        }
        return version == 6 && TryIPv6(packet.TimestampTicks, ip, out segment);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryIPv4(long ticks, ReadOnlySpan<byte> ip, out TcpSegment segment)
    {
        segment = default;
        if (ip.Length < 20)
        {
            return false;
        }
        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        // Non-first fragments carry no TCP header; a first fragment is not a whole segment either.
        if (headerLength < 20 || ip[9] != ProtocolTcp || (fragment & 0x3FFF) != 0 || totalLength < headerLength)
        {
            return false;
        }
        var src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        var dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        // TSO captures may show total length 0; fall back to what was captured.
        var declared = totalLength == 0 ? ip.Length - headerLength : totalLength - headerLength;
        var captured = ip[Math.Min(headerLength, ip.Length)..Math.Min(ip.Length, totalLength == 0 ? ip.Length : totalLength)];
        return TryTcp(ticks, false, src, dst, captured, declared, out segment);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryIPv6(long ticks, ReadOnlySpan<byte> ip, out TcpSegment segment)
    {
        segment = default;
        if (ip.Length < 40)
        {
            return false;
        }
        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        var next = ip[6];
        var src = BinaryPrimitives.ReadUInt128BigEndian(ip[8..]);
        var dst = BinaryPrimitives.ReadUInt128BigEndian(ip[24..]);
        var offset = 40;
        var end = payloadLength == 0 ? ip.Length : 40 + payloadLength;
        for (var hops = 0; hops < 8 && next != ProtocolTcp; hops++)
        {
            if (offset + 8 > ip.Length)
            {
                return false;
            }
            int length;
            switch (next)
            {
                case 0 or 43 or 60:
                    length = (ip[offset + 1] + 1) * 8;
                    break;
                case 44:
                    if ((BinaryPrimitives.ReadUInt16BigEndian(ip[(offset + 2)..]) & 0xFFF9) != 0)
                    {
                        return false; // a fragment: not a whole TCP segment
                    }
                    length = 8;
                    break;
                case 51:
                    length = (ip[offset + 1] + 2) * 4;
                    break;
                default:
                    return false;
            }
            next = ip[offset];
            offset += length;
        }
        if (next != ProtocolTcp || offset > end || offset > ip.Length)
        {
            return false;
        }
        var captured = ip[offset..Math.Min(ip.Length, end)];
        return TryTcp(ticks, true, src, dst, captured, end - offset, out segment);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryTcp(long ticks, bool v6, UInt128 src, UInt128 dst, ReadOnlySpan<byte> tcp, int declaredLength, out TcpSegment segment)
    {
        segment = default;
        if (tcp.Length < 20)
        {
            return false;
        }
        var headerLength = (tcp[12] >> 4) * 4;
        if (headerLength < 20 || declaredLength < headerLength)
        {
            return false;
        }
        segment = new TcpSegment
        {
            TimestampTicks = ticks,
            IsIPv6 = v6,
            Source = src,
            Destination = dst,
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(tcp),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            Flags = (TcpFlags)(tcp[13] & 0x3F),
            Window = BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]),
            PayloadLength = declaredLength - headerLength,
            Payload = headerLength <= tcp.Length ? tcp[headerLength..] : ReadOnlySpan<byte>.Empty,
        };
        return true;
    }
}
