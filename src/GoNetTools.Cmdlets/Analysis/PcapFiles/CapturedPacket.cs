using System;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// One packet as a capture file holds it: when it was seen, its link-layer type, its bytes (possibly cut
/// short by the snap length) and the length it had on the wire. Valid until the reader's next call.
/// </summary>
internal readonly ref struct CapturedPacket
{
    public CapturedPacket(long timestampTicks, int linkType, ReadOnlySpan<byte> data, int originalLength)
    {
        TimestampTicks = timestampTicks;
        LinkType = linkType;
        Data = data;
        OriginalLength = originalLength;
    }

    /// <summary>Time since the Unix epoch, in 100 ns ticks (UTC).</summary>
    public long TimestampTicks { get; }

    /// <summary>LINKTYPE_* number (1 Ethernet, 113 Linux SLL, 276 SLL2, 101 raw IP, 0 BSD loopback…).</summary>
    public int LinkType { get; }

    /// <summary>The captured bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Length on the wire; more than Data.Length when the snap length cut the packet.</summary>
    public int OriginalLength { get; }
}

/// <summary>Time conversions shared by the readers and the models.</summary>
internal static class CaptureTime
{
    /// <summary>Ticks at 1970-01-01 UTC.</summary>
    public const long UnixEpochTicks = 621355968000000000L;

    public static DateTime ToDateTime(long unixTicks) =>
        new DateTime(UnixEpochTicks + Math.Clamp(unixTicks, 0, DateTime.MaxValue.Ticks - UnixEpochTicks), DateTimeKind.Utc);
}
