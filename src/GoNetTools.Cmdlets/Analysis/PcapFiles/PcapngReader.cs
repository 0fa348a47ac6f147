using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// pcapng files: Section Header Blocks set the byte order (each section may differ), Interface Description
/// Blocks give each interface its link type and timestamp resolution (if_tsresol), Enhanced, Simple and the
/// obsolete Packet blocks carry packets. Every other block type is skipped by its length.
/// </summary>
internal sealed class PcapngReader : CaptureReader
{
    public const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;
    private const int MaxBlockLength = 16 << 20;

    private readonly List<Interface> _interfaces = new();
    private bool _bigEndian;
    private bool _corrupt;

    private PcapngReader(ChunkedInput input) : base(input)
    {
    }

    public override string Format => "pcapng";

    public static PcapngReader? TryCreate(ChunkedInput input)
    {
        // The byte-order magic at offset 8 of the first SHB must be valid in one order or the other.
        if (!input.TryPeek(12, out var start, out _))
        {
            return null;
        }
        var bom = BinaryPrimitives.ReadUInt32LittleEndian(start[8..]);
        return bom == ByteOrderMagic || BinaryPrimitives.ReverseEndianness(bom) == ByteOrderMagic ? new PcapngReader(input) : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadPacket(out CapturedPacket packet)
    {
        packet = default;
        while (!_corrupt)
        {
            if (!Input.TryPeek(12, out var head, out var available))
            {
                if (available > 0)
                {
                    Warning = $"The file ends inside a block header after {PacketCount} packets (truncated capture).";
                }
                return false;
            }
            var type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (type == SectionHeaderType)
            {
                var bom = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
                _bigEndian = bom != ByteOrderMagic;
                _interfaces.Clear();
            }
            else if (_bigEndian)
            {
                type = BinaryPrimitives.ReverseEndianness(type);
            }
            var length = ReadU32(head[4..]);
            if (length < 12 || length % 4 != 0 || length > MaxBlockLength)
            {
                Warning = $"Block after packet {PacketCount} has an impossible length ({length}); the rest of the file is unreadable.";
                return false;
            }
            if (!Input.TryPeek((int)length, out var block, out _))
            {
                Warning = $"The file ends inside a block after {PacketCount} packets (truncated capture).";
                return false;
            }
            var body = block[8..((int)length - 4)];
            Input.Advance((int)length);
            switch (type)
            {
                case InterfaceDescriptionType:
                    _interfaces.Add(ReadInterface(body));
                    break;
                case EnhancedPacketType when body.Length >= 20:
                    if (TryEnhanced(body, out packet))
                    {
                        PacketCount++;
                        return true;
                    }
                    break;
                case SimplePacketType when body.Length >= 4 && _interfaces.Count > 0:
                {
                    // No timestamp and no captured length: the data runs to the block end, cut at the snap length.
                    // The original length is a uint from the file: a lie (0xFFFFFFFF) must not become a negative slice.
                    var original = ReadU32(body);
                    if (original > PcapReader.MaxPacketLength)
                    {
                        return Corrupt($"a Simple Packet Block claims {original} bytes");
                    }
                    var itf = _interfaces[0];
                    var data = body[4..];
                    var captured = (int)Math.Min((uint)data.Length, Math.Min(original, itf.SnapLength > 0 ? (uint)itf.SnapLength : uint.MaxValue));
                    packet = new CapturedPacket(0, itf.LinkType, data[..captured], ClampLength(original));
                    PacketCount++;
                    return true;
                }
                case ObsoletePacketType when body.Length >= 20:
                {
                    var id = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(body) : BinaryPrimitives.ReadUInt16LittleEndian(body);
                    if (TryPacket(id, ReadU32(body[4..]), ReadU32(body[8..]), ReadU32(body[12..]), ReadU32(body[16..]), body[20..], out packet))
                    {
                        PacketCount++;
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }

    /// <summary>A block that cannot be right: keep what was read, warn, and end the file here (as a truncated pcap does).</summary>
    private bool Corrupt(string what)
    {
        Warning = $"The file is corrupt after packet {PacketCount}: {what}; the rest of the file was skipped.";
        _corrupt = true;
        return false;
    }

    private bool TryEnhanced(ReadOnlySpan<byte> body, out CapturedPacket packet) =>
        TryPacket((int)ReadU32(body), ReadU32(body[4..]), ReadU32(body[8..]), ReadU32(body[12..]), ReadU32(body[16..]), body[20..], out packet);

    private bool TryPacket(int interfaceId, uint high, uint low, uint captured, uint original, ReadOnlySpan<byte> data, out CapturedPacket packet)
    {
        packet = default;
        if (original > PcapReader.MaxPacketLength)
        {
            return Corrupt($"packet {PacketCount + 1} claims {original} bytes on the wire");
        }
        if ((uint)interfaceId >= (uint)_interfaces.Count || captured > data.Length)
        {
            Warning ??= $"Packet {PacketCount + 1} names an undeclared interface or overruns its block; such packets were skipped.";
            return false;
        }
        var itf = _interfaces[interfaceId];
        var units = ((ulong)high << 32) | low;
        packet = new CapturedPacket(itf.ToTicks(units), itf.LinkType, data[..(int)captured], ClampLength(original));
        return true;
    }

    private Interface ReadInterface(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            return new Interface(-1, 0, 6, false, 0);
        }
        var linkType = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(body) : BinaryPrimitives.ReadUInt16LittleEndian(body);
        var snap = (int)Math.Min(ReadU32(body[4..]), int.MaxValue);
        int exponent = 6;
        var binary = false;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(options) : BinaryPrimitives.ReadUInt16LittleEndian(options);
            var len = _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(options[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(options[2..]);
            if (code == 0 || 4 + len > options.Length)
            {
                break;
            }
            var value = options.Slice(4, len);
            if (code == 9 && len >= 1)
            {
                // if_tsresol: high bit clear = 10^-n seconds, set = 2^-n seconds.
                binary = (value[0] & 0x80) != 0;
                exponent = value[0] & 0x7F;
            }
            else if (code == 14 && len >= 8)
            {
                offsetSeconds = _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            }
            options = options[Math.Min(options.Length, 4 + ((len + 3) & ~3))..];
        }
        return new Interface(linkType, snap, exponent, binary, offsetSeconds);
    }

    /// <summary>A wire length from the file as an int; lengths past int.MaxValue are lies and are capped.</summary>
    private static int ClampLength(uint length) => (int)Math.Min(length, int.MaxValue);

    private uint ReadU32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private readonly record struct Interface(int LinkType, int SnapLength, int Exponent, bool Binary, long OffsetSeconds)
    {
        public long ToTicks(ulong units)
        {
            long ticks;
            if (Binary)
            {
                var perSecond = Exponent >= 63 ? ulong.MaxValue : 1UL << Exponent;
                ticks = (long)(units / perSecond) * 10_000_000L + (long)((double)(units % perSecond) * 10_000_000.0 / perSecond);
            }
            else if (Exponent >= 7)
            {
                ticks = (long)(units / Pow10(Exponent - 7));
            }
            else
            {
                ticks = (long)units * (long)Pow10(7 - Exponent);
            }
            return ticks + OffsetSeconds * 10_000_000L;
        }

        private static ulong Pow10(int n)
        {
            ulong value = 1;
            for (var i = 0; i < n && i < 19; i++)
            {
                value *= 10;
            }
            return value;
        }
    }
}
