using System;
using System.IO;
using System.Threading;
using GoNetTools.Analysis;
using GoNetTools.Analysis.Capture;
using GoNetTools.Analysis.Http2;
using GoNetTools.Analysis.Tls;

namespace GoNetTools.Fuzz;

/// <summary>
/// The parser entry points fuzzing drives. Each must return normally for any input: an exception escaping is
/// a finding. Bytes are fed in pieces whose sizes come from the input itself, so segment boundaries vary too.
/// </summary>
public static class FuzzTargets
{
    /// <summary>TLS: hello bodies directly, then record streams through both stream readers.</summary>
    public static void Tls(ReadOnlySpan<byte> data)
    {
        TlsHelloParser.ParseClientHello(data);
        TlsHelloParser.ParseServerHello(data);
        var client = new TlsStreamReader(isClient: true);
        var server = new TlsStreamReader(isClient: false);
        FeedInPieces(data, (piece, ticks) => client.Feed(piece, ticks), client.OnGap);
        FeedInPieces(data, (piece, ticks) => server.Feed(piece, ticks), server.OnGap);
        _ = client.ClientHello?.Sni;
    }

    /// <summary>HTTP/2: frame streams with and without the preface, and behind an h2c upgrade head.</summary>
    public static void Http2(ReadOnlySpan<byte> data)
    {
        var frames = 0;
        Http2FrameHandler onFrame = (in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks) =>
        {
            frames++;
            Http2Frames.TryReadGoAway(payload, out _, out _, out _);
            Http2Frames.TryReadRstStream(payload, out _);
            Http2Frames.ReadSettings(payload);
            Http2Frames.TryReadWindowUpdate(payload, out _);
            Http2Frames.SettingName((ushort)header.Length);
        };
        var prior = new Http2StreamReader(expectPreface: data.Length > 0 && (data[0] & 1) == 0, onFrame);
        FeedInPieces(data, (piece, ticks) => prior.Feed(piece, ticks), null);
        var upgrade = new H2cUpgradeReader(data.Length > 1 && (data[1] & 1) == 0, () => new Http2StreamReader(true, onFrame));
        FeedInPieces(data, (piece, ticks) => upgrade.Feed(piece, ticks), null);
    }

    /// <summary>Whole capture files: a non-capture is a GoNetToolsException by design, anything else a finding.</summary>
    public static void Capture(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = CaptureReader.Open(new MemoryStream(data.ToArray()), "fuzz");
            foreach (var _ in new CaptureAnalyzer("fuzz", AnalysisOutputs.Flows | AnalysisOutputs.Handshakes | AnalysisOutputs.Frames).Run(reader, CancellationToken.None))
            {
            }
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.InvalidCaptureFile)
        {
        }
    }

    private delegate bool Feed(ReadOnlySpan<byte> piece, long ticks);

    private static void FeedInPieces(ReadOnlySpan<byte> data, Feed feed, Action? onGap)
    {
        var size = data.Length > 0 ? 1 + data[^1] % 97 : 1;
        for (var at = 0; at < data.Length; at += size)
        {
            if (!feed(data[at..Math.Min(data.Length, at + size)], at))
            {
                return;
            }
        }
        onGap?.Invoke();
    }
}
