using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Analysis;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.Tests.Analysis;

/// <summary>Builds capture bytes from synthetic flows and runs the analyser over them in-process.</summary>
internal static class AnalysisHarness
{
    public static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    public static byte[] Pcap(IEnumerable<(DateTime Time, byte[] Ip)> packets, int linkType = 1, Func<byte[], byte[]>? wrap = null,
        bool bigEndian = false, bool nanos = false, Func<int, int?>? capturedLength = null)
    {
        wrap ??= linkType switch
        {
            1 => ip => SyntheticPackets.Ethernet(ip),
            113 => SyntheticPackets.Sll,
            276 => SyntheticPackets.Sll2,
            0 => SyntheticPackets.Null,
            _ => ip => ip,
        };
        var stream = new MemoryStream();
        var writer = new PcapFileWriter(stream, linkType, bigEndian, nanos);
        var i = 0;
        foreach (var (time, ip) in packets.OrderBy(p => p.Time))
        {
            var frame = wrap(ip);
            writer.Write(time, frame, capturedLength?.Invoke(i++));
        }
        return stream.ToArray();
    }

    public static (List<object> Results, CaptureAnalyzer Analyzer) Run(byte[] file, AnalysisOutputs outputs = AnalysisOutputs.Flows | AnalysisOutputs.Handshakes | AnalysisOutputs.Frames)
    {
        var reader = CaptureReader.Open(new MemoryStream(file), "synthetic");
        var analyzer = new CaptureAnalyzer("synthetic", outputs);
        return (analyzer.Run(reader, CancellationToken.None).ToList(), analyzer);
    }

    public static string Save(byte[] file, string extension = "pcap")
    {
        var path = Path.Combine(Path.GetTempPath(), $"gnt-analysis-synthetic-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, file);
        return path;
    }
}
