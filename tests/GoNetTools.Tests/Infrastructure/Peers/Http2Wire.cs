using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>One HTTP/2 control frame tshark decoded from a capture.</summary>
public sealed record WireFrame(double Time, int SourcePort, int DestinationPort, string Type, int StreamId, uint ErrorCode);

/// <summary>
/// What went over the wire, as tshark (the independent witness) decodes a capture: GOAWAY and RST_STREAM frames
/// with their LastStreamID / stream id and error code, and who sent the first FIN or RST. Cleartext h2c needs the
/// port mapped to http2; TLS needs the server's key log (the Go peer writes one).
/// </summary>
public static class Http2Wire
{
    /// <summary>tshark options that decode HTTP/2 on <paramref name="port"/>: h2c by prior knowledge, or TLS with a key log.</summary>
    public static string DecodeOptions(int port, string? keyLogPath) =>
        keyLogPath is null ? $"-d tcp.port=={port},http2" : $"-o tls.keylog_file:{keyLogPath} -d tcp.port=={port},tls";

    /// <summary>GOAWAY frames, in capture order; StreamId is the frame's LastStreamID.</summary>
    public static IReadOnlyList<WireFrame> GoAways(string pcap, int port, string? keyLogPath = null) =>
        ControlFrames(pcap, port, keyLogPath).Where(f => f.Type == "GOAWAY").ToList();

    /// <summary>RST_STREAM frames, in capture order; StreamId is the reset stream.</summary>
    public static IReadOnlyList<WireFrame> RstStreams(string pcap, int port, string? keyLogPath = null) =>
        ControlFrames(pcap, port, keyLogPath).Where(f => f.Type == "RST_STREAM").ToList();

    /// <summary>GOAWAY and RST_STREAM frames, in capture order.</summary>
    public static IReadOnlyList<WireFrame> ControlFrames(string pcap, int port, string? keyLogPath = null)
    {
        var frames = new List<WireFrame>();
        // One packet may carry several HTTP/2 frames: each field comes as a comma list with one entry per frame that
        // has it (type and stream id: every frame; the GOAWAY and RST_STREAM fields: only frames of that type).
        var rows = Tshark.Fields(pcap, "http2.type == 7 || http2.type == 3", DecodeOptions(port, keyLogPath),
            "frame.time_epoch", "tcp.srcport", "tcp.dstport", "http2.type", "http2.streamid",
            "http2.goaway.last_stream_id", "http2.goaway.error", "http2.rst_stream.error");
        foreach (var row in rows)
        {
            var time = double.Parse(row[0], CultureInfo.InvariantCulture);
            var (source, destination) = (int.Parse(row[1], CultureInfo.InvariantCulture), int.Parse(row[2], CultureInfo.InvariantCulture));
            var (types, streams) = (row[3].Split(','), row[4].Split(','));
            var (lastIds, goAwayCodes, resetCodes) = (row[5].Split(','), row[6].Split(','), row[7].Split(','));
            int goAways = 0, resets = 0;
            for (var i = 0; i < types.Length; i++)
            {
                if (types[i] == "7")
                {
                    frames.Add(new WireFrame(time, source, destination, "GOAWAY", Int(lastIds[goAways]), Code(goAwayCodes[goAways])));
                    goAways++;
                }
                else if (types[i] == "3")
                {
                    frames.Add(new WireFrame(time, source, destination, "RST_STREAM", Int(streams[i]), Code(resetCodes[resets])));
                    resets++;
                }
            }
        }
        return frames;
    }

    /// <summary>How many HTTP/2 frames tshark decoded at all (0 when the key log did not apply).</summary>
    public static int DecodedFrames(string pcap, int port, string? keyLogPath = null) =>
        Tshark.Fields(pcap, "http2.type", DecodeOptions(port, keyLogPath), "http2.type").Sum(r => r[0].Split(',').Length);

    /// <summary>Time of the first packet with FIN or RST sent from <paramref name="sourcePort"/>; null when there is none.</summary>
    public static double? FirstClose(string pcap, int sourcePort)
    {
        var rows = Tshark.Fields(pcap, $"tcp.srcport == {sourcePort} && (tcp.flags.fin == 1 || tcp.flags.reset == 1)", "", "frame.time_epoch");
        return rows.Length == 0 ? null : double.Parse(rows[0][0], CultureInfo.InvariantCulture);
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static uint Code(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? uint.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : uint.Parse(text, CultureInfo.InvariantCulture);
}
