using System;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Lab.Server;

/// <summary>
/// Reads the server's outgoing bytes on one connection (after TLS) and counts the HTTP/2 GOAWAY and
/// RST_STREAM frames really written. A server's HTTP/2 output starts with its SETTINGS frame (a 9-byte
/// header whose first byte is a length byte, never 'H'); HTTP/1.x output starts with "HTTP/", so the first
/// byte tells the two apart. The frames are followed with the module's scanner (GoNetTools.Protocols), the
/// one HTTP/2 frame codec.
/// </summary>
internal sealed class Http2FrameTap
{
    private readonly LabCounters _counters;
    private readonly Http2FrameScanner _scanner;
    private bool? _isHttp2;
    private bool _sawGoAway;

    public Http2FrameTap(LabCounters counters)
    {
        _counters = counters;
        _scanner = new Http2FrameScanner((type, _, _, payload) => Frame(type, payload.Span), skipPreface: false);
    }

    public bool? IsHttp2 => _isHttp2;

    /// <summary>True once the client has closed its side: frames written after that are not counted as sent.</summary>
    public Func<bool> PeerClosed { get; set; } = static () => false;

    public void Observe(ReadOnlySpan<byte> data)
    {
        _counters.BytesWritten(data.Length);
        if (data.IsEmpty)
        {
            return;
        }
        _isHttp2 ??= data[0] != (byte)'H';
        if (_isHttp2 == true)
        {
            _scanner.Feed(data);
        }
    }

    private void Frame(byte type, ReadOnlySpan<byte> payload)
    {
        if (type is not (Http2FrameScanner.GoAway or Http2FrameScanner.RstStream))
        {
            return;
        }
        if (PeerClosed())
        {
            _counters.FrameAfterPeerClosed(type == Http2FrameScanner.GoAway);
            return;
        }
        if (type == Http2FrameScanner.GoAway)
        {
            // A GOAWAY too short to carry its fields is still a GOAWAY sent: counted, with no stream id (-1).
            var whole = Http2Frames.TryReadGoAwayBytes(payload, out var lastStream, out var code, out _);
            _counters.GoAwayFrame(whole ? lastStream : -1, whole ? code : 0);
            if (!_sawGoAway)
            {
                _sawGoAway = true;
                _counters.GoAwayConnection();
            }
        }
        else
        {
            _counters.RstStreamFrame(Http2Frames.TryReadRstStream(payload, out var code) ? code : 0);
        }
    }
}
