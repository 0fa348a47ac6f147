using System;
using System.IO;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>What a server sent while a response was held in flight and something happened to it (a reload, a Shutdown()).</summary>
public sealed record InFlightOutcome(int Stream, RawHttp2Frame? GoAway, int GoAwayCount, int BodyBytes, bool Completed, bool Closed);

/// <summary>
/// A docroot with a 1 MiB file (and a small one), and the scenario that holds its response in flight: a raw HTTP/2
/// client asks a small file (stream 1), then the big one (stream 3), and sends no WINDOW_UPDATE, so the server stops
/// at the 65,535-byte window; then <c>trigger</c> runs, the client reads until a GOAWAY, opens the window, and reads
/// the stream to its end and the connection to its close.
/// </summary>
public sealed class InFlightResponse : IDisposable
{
    public const int BigSize = 1 << 20;
    public const string Big = "/big.bin", Small = "/small.txt";

    public InFlightResponse()
    {
        Docroot = PeerRun.NewDirectory("gnt-docroot-");
        File.WriteAllBytes(Path.Combine(Docroot, "big.bin"), new byte[BigSize]);
        File.WriteAllText(Path.Combine(Docroot, "small.txt"), "small");
    }

    /// <summary>Serve this with the peer under test.</summary>
    public string Docroot { get; }

    public static InFlightOutcome Run(Uri url, string? caPath, Action trigger)
    {
        using var client = new RawHttp2Client(url, caPath);
        client.ReadUntilStreamEnds(client.Get(Small));
        var big = client.Get(Big);
        while (client.ReadFrame() is { } f && !(f.Type == RawHttp2Frame.Data && f.StreamId == big))
        {
        }
        trigger();
        RawHttp2Frame? goAway = null;
        while (goAway is null && client.ReadFrame() is { } f)
        {
            goAway = f.Type == RawHttp2Frame.GoAway ? f : null;
        }
        client.WindowUpdate(0, 1 << 24);
        client.WindowUpdate(big, 1 << 24);
        var end = client.ReadUntilStreamEnds(big);
        var closed = client.ReadUntilClosed();
        return new InFlightOutcome(big, goAway, client.Received.Count(f => f.Type == RawHttp2Frame.GoAway),
            client.Received.Where(f => f.Type == RawHttp2Frame.Data && f.StreamId == big).Sum(f => f.Payload.Length),
            end is { Type: RawHttp2Frame.Data }, closed);
    }

    public void Dispose() => PeerRun.TryDelete(Docroot);
}
