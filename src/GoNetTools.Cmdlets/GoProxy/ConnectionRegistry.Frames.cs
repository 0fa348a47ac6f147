using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.GoProxy;

/// <summary>The h2 frames the tap saw on the run's connections: GOAWAY and RST_STREAM counts, resets a failure may claim.</summary>
internal sealed partial class ConnectionRegistry
{
    private readonly object _frames = new();
    private readonly Dictionary<string, int> _rstCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unclaimedResets = new(StringComparer.Ordinal);
    private int _goAways;

    public int RstStreams { get { lock (_frames) { return _rstCodes.Values.Sum(); } } }

    public int GoAways { get { lock (_frames) { return _goAways; } } }

    public Dictionary<string, int> RstCodes() { lock (_frames) { return new Dictionary<string, int>(_rstCodes, StringComparer.Ordinal); } }

    /// <summary>
    /// True when an RST_STREAM with this error code arrived and no failed request has claimed it yet: a request
    /// fails as StreamReset only for a reset the tap saw.
    /// </summary>
    public bool ClaimReset(string code)
    {
        lock (_frames)
        {
            if (_unclaimedResets.TryGetValue(code, out var n) && n > 0)
            {
                _unclaimedResets[code] = n - 1;
                return true;
            }
            return false;
        }
    }

    public void OnServerFrame(TrackedConnection connection, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var goAway = connection.Http2?.Incoming(type, flags, streamId, payload);
        if (goAway is { } g)
        {
            lock (connection.Record)
            {
                connection.Record.GoAways++;
                connection.Record.GoAwayLastStreamId = g.LastStreamId;
                connection.Record.GoAwayError = g.ErrorCode;
            }
            lock (_frames)
            {
                _goAways++;
            }
        }
        else if (type == Http2FrameScanner.RstStream && streamId != 0 && Http2Frames.TryReadRstStream(payload, out var errorCode))
        {
            var code = Http2ErrorCodes.Name(errorCode);
            lock (connection.Record)
            {
                connection.Record.RstStreams++;
            }
            lock (_frames)
            {
                _rstCodes[code] = _rstCodes.TryGetValue(code, out var n) ? n + 1 : 1;
                _unclaimedResets[code] = _unclaimedResets.TryGetValue(code, out var u) ? u + 1 : 1;
            }
        }
    }

    /// <summary>Streams the server never processed (above a GOAWAY's LastStreamID), which the handler retried on a new connection.</summary>
    public int UnprocessedStreams() => Snapshot().Sum(c => c.Http2?.Unprocessed ?? 0);
}
