using System;
using System.Diagnostics;
using System.IO;
using GoNetTools.Analysis.PcapFiles;
using PacketDotNet;

namespace GoNetTools.PacketDecodeBench;

/// <summary>
/// Decodes every packet of a generated capture (default 1,000,000 packets, Ethernet, IPv4 and IPv6, TCP with TLS
/// hellos) to the fields the analysers use — ports, sequence and acknowledgment numbers, flags, payload length — once
/// with the module's span parser (PacketDecoder over CapturedPacket) and once with PacketDotNet
/// (Packet.ParsePacket + Extract&lt;TcpPacket&gt;). Both read the records with the same PcapReader, so only decoding
/// differs. Prints both times, the ratio and a checksum of the decoded fields, which must agree.
///   dotnet PacketDecodeBench.dll [packets] [rounds]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var packets = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        var file = Path.Combine(Path.GetTempPath(), $"gnt-decode-bench-{Environment.ProcessId}.pcap");
        try
        {
            var (written, flows) = GoNetTools.AnalysisBench.CaptureGenerator.Write(file, packets);
            Console.WriteLine($"generated {written:N0} packets, {flows:N0} connections, {new FileInfo(file).Length / 1e6:N0} MB: {file}");
            double bestOurs = double.MaxValue, bestTheirs = double.MaxValue;
            for (var round = 1; round <= rounds; round++)
            {
                var (oursSeconds, oursCount, oursSum, oursAlloc) = Time(file, Ours);
                var (theirSeconds, theirCount, theirSum, theirAlloc) = Time(file, PacketDotNetDecode);
                Console.WriteLine($"round {round}: span parser {oursSeconds:N3}s ({oursCount:N0} TCP segments, {oursAlloc / 1e6:N0} MB allocated), " +
                    $"PacketDotNet {theirSeconds:N3}s ({theirCount:N0} TCP segments, {theirAlloc / 1e6:N0} MB allocated)");
                if (oursCount != theirCount || oursSum != theirSum)
                {
                    Console.Error.WriteLine($"the decoders disagree: {oursCount} vs {theirCount} segments, checksum {oursSum:x} vs {theirSum:x}");
                    return 1;
                }
                bestOurs = Math.Min(bestOurs, oursSeconds);
                bestTheirs = Math.Min(bestTheirs, theirSeconds);
            }
            Console.WriteLine($"best of {rounds}: span parser {written / bestOurs / 1e6:N2} M packets/s, PacketDotNet {written / bestTheirs / 1e6:N2} M packets/s");
            Console.WriteLine($"ratio PacketDotNet / span parser: {bestTheirs / bestOurs:N1}x the time (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private delegate (long Count, ulong Sum) Decoder(CaptureReader reader);

    private static (double Seconds, long Count, ulong Sum, long Allocated) Time(string file, Decoder decode)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var reader = CaptureReader.Open(stream, file);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var (count, sum) = decode(reader);
        return (clock.Elapsed.TotalSeconds, count, sum, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static ulong Mix(ulong sum, ushort sport, ushort dport, uint seq, uint ack, byte flags, int payload) =>
        (sum * 31) ^ ((ulong)sport << 48 | (ulong)dport << 32 | seq) ^ ((ulong)ack << 16) ^ flags ^ ((ulong)payload << 40);

    private static (long Count, ulong Sum) Ours(CaptureReader reader)
    {
        long count = 0;
        ulong sum = 0;
        while (reader.TryReadPacket(out var packet))
        {
            if (PacketDecoder.TryDecode(packet, out var segment))
            {
                count++;
                sum = Mix(sum, segment.SourcePort, segment.DestinationPort, segment.Sequence, segment.Acknowledgment, (byte)((byte)segment.Flags & 0x3F), segment.Payload.Length);
            }
        }
        return (count, sum);
    }

    private static (long Count, ulong Sum) PacketDotNetDecode(CaptureReader reader)
    {
        long count = 0;
        ulong sum = 0;
        while (reader.TryReadPacket(out var packet))
        {
            // PacketDotNet parses a byte[] it may keep: the record's span is copied, as SharpPcap's RawCapture does.
            var parsed = Packet.ParsePacket((LinkLayers)packet.LinkType, packet.Data.ToArray());
            if (parsed.Extract<TcpPacket>() is { } tcp)
            {
                count++;
                var flags = (byte)(tcp.Flags & 0x3F);
                sum = Mix(sum, tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, flags, tcp.PayloadData?.Length ?? 0);
            }
        }
        return (count, sum);
    }
}
