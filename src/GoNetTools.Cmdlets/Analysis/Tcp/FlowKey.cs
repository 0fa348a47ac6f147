using System;
using System.Runtime.CompilerServices;
using GoNetTools.Analysis.PcapFiles;

namespace GoNetTools.Analysis.Tcp;

/// <summary>
/// A direction-free TCP 4-tuple: endpoint A is the lower (address, port), so both directions of a
/// connection hash to one key. No allocation per packet.
/// </summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    public FlowKey(UInt128 a, ushort portA, UInt128 b, ushort portB, bool v6)
    {
        A = a;
        PortA = portA;
        B = b;
        PortB = portB;
        IsIPv6 = v6;
    }

    public UInt128 A { get; }
    public ushort PortA { get; }
    public UInt128 B { get; }
    public ushort PortB { get; }
    public bool IsIPv6 { get; }

    /// <summary>The key for <paramref name="segment"/>; <paramref name="fromA"/> says whether it was sent by A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FlowKey For(in TcpSegment segment, out bool fromA)
    {
        var src = segment.Source;
        var dst = segment.Destination;
        fromA = src < dst || (src == dst && segment.SourcePort <= segment.DestinationPort);
        return fromA
            ? new FlowKey(src, segment.SourcePort, dst, segment.DestinationPort, segment.IsIPv6)
            : new FlowKey(dst, segment.DestinationPort, src, segment.SourcePort, segment.IsIPv6);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Equals(FlowKey other) =>
        A == other.A && B == other.B && PortA == other.PortA && PortB == other.PortB && IsIPv6 == other.IsIPv6;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => Hash();

    /// <summary>A cheap mix of all fields (not randomised: captures are not adversarial hash-flooding input
    /// we must defend against beyond chain length, and determinism keeps runs comparable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Hash()
    {
        var h = (ulong)A ^ (ulong)(A >> 64) * 0x9E3779B97F4A7C15UL;
        h ^= ((ulong)B ^ (ulong)(B >> 64) * 0xC2B2AE3D27D4EB4FUL) + (h << 6) + (h >> 2);
        h ^= ((ulong)PortA << 16 | PortB) * 0x165667B19E3779F9UL;
        h ^= h >> 29;
        return (int)h ^ (int)(h >> 32);
    }
}
