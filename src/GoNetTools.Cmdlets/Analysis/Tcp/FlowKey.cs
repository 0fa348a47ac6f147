using System;
using GoNetTools.Analysis.Capture;

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
    public static FlowKey For(in TcpSegment segment, out bool fromA)
    {
        var src = segment.Source;
        var dst = segment.Destination;
        fromA = src < dst || (src == dst && segment.SourcePort <= segment.DestinationPort);
        return fromA
            ? new FlowKey(src, segment.SourcePort, dst, segment.DestinationPort, segment.IsIPv6)
            : new FlowKey(dst, segment.DestinationPort, src, segment.SourcePort, segment.IsIPv6);
    }

    public bool Equals(FlowKey other) =>
        A == other.A && B == other.B && PortA == other.PortA && PortB == other.PortB && IsIPv6 == other.IsIPv6;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(A, B, PortA | (PortB << 16), IsIPv6);
}
