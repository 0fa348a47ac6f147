using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.GoProxy;

/// <summary>One GOAWAY as it arrived: its fields and the connection's state at that moment.</summary>
internal readonly record struct GoAwayFrame(int LastStreamId, string ErrorCode, string DebugData, long AtTicks, int StreamsOpened, int StreamsInFlight, TimeSpan IdleFor);

/// <summary>
/// What the frame tap saw on one h2 connection: streams we opened (HEADERS we wrote; client stream ids run 1, 3,
/// 5… in order, so the streams up to a GOAWAY's LastStreamID are min(opened, (LastStreamID + 1) / 2)), streams that
/// ended, responses (HEADERS from the server), RST_STREAMs and GOAWAYs with their debug data.
/// </summary>
internal sealed class Http2ConnectionState
{
    /// <summary>2^31−1: "stop opening streams" — the first GOAWAY of a two-step graceful shutdown.</summary>
    public const int MaxStreamId = int.MaxValue;

    private readonly object _lock = new();
    private readonly List<GoAwayFrame> _goAways = new();
    private int _opened, _ended, _responses, _resets;
    private long _lastActivity = Stopwatch.GetTimestamp();

    public int StreamsOpened { get { lock (_lock) { return _opened; } } }

    public int Responses { get { lock (_lock) { return _responses; } } }

    public int InFlight { get { lock (_lock) { return Math.Max(0, _opened - _ended); } } }

    public IReadOnlyList<GoAwayFrame> GoAways { get { lock (_lock) { return _goAways.ToArray(); } } }

    /// <summary>Streams we opened above the last GOAWAY's LastStreamID: never processed, retried on a new connection by the client.</summary>
    public int Unprocessed
    {
        get
        {
            lock (_lock)
            {
                if (_goAways.Count == 0)
                {
                    return 0;
                }
                int last = _goAways[^1].LastStreamId;
                return last == MaxStreamId ? 0 : Math.Max(0, _opened - Math.Min(_opened, (last + 1) / 2));
            }
        }
    }

    public void Outgoing(byte type, byte flags)
    {
        lock (_lock)
        {
            if (type == Http2FrameScanner.Headers)
            {
                _opened++;
                _lastActivity = Stopwatch.GetTimestamp();
                if ((flags & Http2FrameScanner.EndStream) == 0)
                {
                    return;
                }
            }
            else if (type == Http2FrameScanner.RstStream)
            {
                _ended++;
            }
        }
    }

    /// <summary>A server frame; returns the GOAWAY it was, if it was one.</summary>
    public GoAwayFrame? Incoming(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            long now = Stopwatch.GetTimestamp();
            switch (type)
            {
                case Http2FrameScanner.Headers when streamId != 0:
                    _responses++;
                    _lastActivity = now;
                    if ((flags & Http2FrameScanner.EndStream) != 0)
                    {
                        _ended++;
                    }
                    break;
                case Http2FrameScanner.Data when streamId != 0:
                    _lastActivity = now;
                    if ((flags & Http2FrameScanner.EndStream) != 0)
                    {
                        _ended++;
                    }
                    break;
                case Http2FrameScanner.RstStream when streamId != 0:
                    _resets++;
                    _ended++;
                    break;
                case Http2FrameScanner.GoAway when Http2Frames.TryReadGoAwayBytes(payload, out var lastStreamId, out var errorCode, out var debug):
                    var frame = new GoAwayFrame(lastStreamId, Http2ErrorCodes.Name(errorCode),
                        Sanitize(debug), now, _opened, Math.Max(0, _opened - _ended), Stopwatch.GetElapsedTime(_lastActivity, now));
                    _goAways.Add(frame);
                    return frame;
            }
            return null;
        }
    }

    /// <summary>Requests the server processed before GOAWAY <paramref name="lastStreamId"/>, out of <paramref name="opened"/> we had opened.</summary>
    public static int Carried(int lastStreamId, int opened) =>
        lastStreamId == MaxStreamId ? opened : Math.Min(opened, (lastStreamId + 1) / 2);

    /// <summary>Printable ASCII only (debug data is opaque bytes from someone else's server), at most 128 characters.</summary>
    internal static string Sanitize(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, 128));
        foreach (var b in bytes[..Math.Min(bytes.Length, 128)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        return text.ToString();
    }
}
