using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// Classic libpcap files: either byte order (the magic tells which), microsecond (0xa1b2c3d4) or nanosecond
/// (0xa1b23c4d) timestamps, one link type for the whole file.
/// </summary>
internal sealed class PcapReader : CaptureReader
{
    public const uint MagicMicros = 0xa1b2c3d4;
    public const uint MagicNanos = 0xa1b23c4d;
    public const uint MagicMicrosSwapped = 0xd4c3b2a1;
    public const uint MagicNanosSwapped = 0x4d3cb2a1;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;
    /// <summary>Larger than any real snap length (tcpdump's maximum is 262144); beyond it the file is corrupt.</summary>
    internal const int MaxPacketLength = 1 << 20;

    private readonly bool _bigEndian;
    private readonly bool _nanos;
    private readonly int _linkType;

    private PcapReader(ChunkedInput input, bool bigEndian, bool nanos, int linkType) : base(input)
    {
        _bigEndian = bigEndian;
        _nanos = nanos;
        _linkType = linkType;
    }

    public override string Format => "pcap";

    /// <summary>The file's link type.</summary>
    public int LinkType => _linkType;

    public static PcapReader? TryCreate(ChunkedInput input)
    {
        if (!input.TryPeek(FileHeaderLength, out var header, out _))
        {
            return null;
        }
        // The magic is written in the writer's byte order: read little-endian, a swapped value means big-endian.
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var bigEndian = magic is MagicMicrosSwapped or MagicNanosSwapped;
        var nanos = magic is MagicNanos or MagicNanosSwapped;
        var network = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[20..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        input.Advance(FileHeaderLength);
        // The upper bits of the link-type field may carry FCS information (pcap spec, LinkType field).
        return new PcapReader(input, bigEndian, nanos, (int)(network & 0xFFFF));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadPacket(out CapturedPacket packet)
    {
        packet = default;
        if (!Input.TryPeek(RecordHeaderLength, out var record, out var available))
        {
            if (available > 0)
            {
                Warning = $"The file ends inside a packet record header after {PacketCount} packets (truncated capture).";
            }
            return false;
        }
        uint seconds, fraction, included, original;
        if (_bigEndian)
        {
            seconds = BinaryPrimitives.ReadUInt32BigEndian(record);
            fraction = BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
            included = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            original = BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
        }
        else
        {
            seconds = BinaryPrimitives.ReadUInt32LittleEndian(record);
            fraction = BinaryPrimitives.ReadUInt32LittleEndian(record[4..]);
            included = BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);
            original = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        }
        if (included > MaxPacketLength)
        {
            Warning = $"Packet record {PacketCount + 1} claims {included} bytes, more than any capture holds; the rest of the file is unreadable.";
            return false;
        }
        var total = RecordHeaderLength + (int)included;
        if (!Input.TryPeek(total, out var whole, out _))
        {
            Warning = $"The file ends inside packet {PacketCount + 1} (truncated capture); {PacketCount} whole packets were read.";
            return false;
        }
        Input.Advance(total);
        var ticks = seconds * 10_000_000L + (_nanos ? fraction / 100 : fraction * 10L);
        packet = new CapturedPacket(ticks, _linkType, whole.Slice(RecordHeaderLength, (int)included), (int)Math.Min(original, int.MaxValue));
        PacketCount++;
        return true;
    }
}
