using System;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>TCP flag bits (RFC 9293 section 3.1).</summary>
[Flags]
internal enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
}

/// <summary>
/// One decoded TCP segment. Addresses are 128-bit values (IPv4 in the low 32 bits with <see cref="IsIPv6"/>
/// false) so flow keys hash without allocating. <see cref="PayloadLength"/> is what the headers declare;
/// <see cref="Payload"/> is what the capture kept, shorter when the snap length cut the packet.
/// </summary>
internal readonly ref struct TcpSegment
{
    public long TimestampTicks { get; init; }
    public bool IsIPv6 { get; init; }
    public UInt128 Source { get; init; }
    public UInt128 Destination { get; init; }
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public uint Sequence { get; init; }
    public uint Acknowledgment { get; init; }
    public TcpFlags Flags { get; init; }
    public ushort Window { get; init; }
    public int PayloadLength { get; init; }
    public ReadOnlySpan<byte> Payload { get; init; }

    public bool Has(TcpFlags flag) => (Flags & flag) != 0;
}
