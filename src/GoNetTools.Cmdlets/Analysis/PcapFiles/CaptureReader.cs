using System;
using System.Buffers.Binary;
using System.IO;
using GoNetTools.Foundation;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// Streaming reader for pcap and pcapng files. <see cref="Open"/> recognises the format from its magic; a
/// file that is neither is refused with InvalidData. A file cut short ends the packets early and sets
/// <see cref="Warning"/>; bad bytes never throw.
/// </summary>
internal abstract class CaptureReader
{
    private protected CaptureReader(ChunkedInput input) => Input = input;

    private protected ChunkedInput Input { get; }

    /// <summary>"pcap" or "pcapng".</summary>
    public abstract string Format { get; }

    /// <summary>Set when the file ended inside a packet or block, or held something unreadable.</summary>
    public string? Warning { get; private protected set; }

    /// <summary>Bytes read so far.</summary>
    public long Position => Input.Position;

    /// <summary>Packets returned so far.</summary>
    public long PacketCount { get; private protected set; }

    /// <summary>The next packet, or false at the end of the file (or of the readable part of it).</summary>
    public abstract bool TryReadPacket(out CapturedPacket packet);

    /// <summary>Opens a capture from a stream positioned at its start.</summary>
    /// <exception cref="GoNetToolsException">InvalidCaptureFile when the stream is not pcap or pcapng.</exception>
    public static CaptureReader Open(Stream stream, string name)
    {
        var input = new ChunkedInput(stream);
        if (!input.TryPeek(4, out var magicBytes, out _))
        {
            throw NotACapture(name, "it is shorter than any capture file header");
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(magicBytes);
        CaptureReader? reader = magic switch
        {
            PcapReader.MagicMicros or PcapReader.MagicNanos or PcapReader.MagicMicrosSwapped or PcapReader.MagicNanosSwapped
                => PcapReader.TryCreate(input),
            PcapngReader.SectionHeaderType => PcapngReader.TryCreate(input),
            _ => null,
        };
        return reader ?? throw NotACapture(name, $"its first bytes (0x{magic:x8}) are not a pcap or pcapng magic number, or the header is cut short");
    }

    private static GoNetToolsException NotACapture(string name, string why) =>
        new(ErrorIds.InvalidCaptureFile, FailureKind.InvalidData,
            $"'{name}' is not a packet capture: {why}.",
            "Pass a .pcap or .pcapng file written by tcpdump, tshark, dumpcap or Start-PacketCapture.");
}
