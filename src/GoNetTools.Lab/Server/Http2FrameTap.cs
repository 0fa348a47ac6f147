using System;
using System.Buffers.Binary;

namespace GoNetTools.Lab.Server;

/// <summary>
/// Reads the server's outgoing bytes on one connection (after TLS) and counts the HTTP/2 GOAWAY and
/// RST_STREAM frames really written. A server's HTTP/2 output starts with its SETTINGS frame (a 9-byte
/// header whose first byte is a length byte, never 'H'); HTTP/1.x output starts with "HTTP/", so the first
/// byte tells the two apart. Frames are 9-byte headers (RFC 9113 §4.1: 24-bit length, type, flags, stream
/// id) followed by the payload; GOAWAY's payload starts with last-stream-id and error code (§6.8),
/// RST_STREAM's is the error code (§6.4).
/// </summary>
internal sealed class Http2FrameTap(LabCounters counters)
{
    private const byte TypeRstStream = 0x3;
    private const byte TypeGoAway = 0x7;
    private readonly byte[] _header = new byte[9];
    private readonly byte[] _payload = new byte[8];
    private int _headerFill;
    private int _payloadWanted;
    private int _payloadFill;
    private long _skip;
    private byte _type;
    private bool? _isHttp2;
    private bool _sawGoAway;

    public bool? IsHttp2 => _isHttp2;

    /// <summary>True once the client has closed its side: frames written after that are not counted as sent.</summary>
    public Func<bool> PeerClosed { get; set; } = static () => false;

    public void Observe(ReadOnlySpan<byte> data)
    {
        counters.BytesWritten(data.Length);
        if (data.IsEmpty)
        {
            return;
        }
        _isHttp2 ??= data[0] != (byte)'H';
        if (_isHttp2 == false)
        {
            return;
        }
        while (!data.IsEmpty)
        {
            if (_payloadWanted > 0)
            {
                var n = Math.Min(_payloadWanted - _payloadFill, data.Length);
                data[..n].CopyTo(_payload.AsSpan(_payloadFill));
                _payloadFill += n;
                data = data[n..];
                if (_payloadFill == _payloadWanted)
                {
                    Frame();
                    _payloadWanted = 0;
                }
                continue;
            }
            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }
            var take = Math.Min(9 - _headerFill, data.Length);
            data[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            data = data[take..];
            if (_headerFill < 9)
            {
                continue;
            }
            _headerFill = 0;
            var length = (_header[0] << 16) | (_header[1] << 8) | _header[2];
            _type = _header[3];
            var wanted = _type switch { TypeGoAway => Math.Min(8, length), TypeRstStream => Math.Min(4, length), _ => 0 };
            _payloadWanted = wanted;
            _payloadFill = 0;
            _skip = length - wanted;
            if (wanted == 0 && (_type is TypeGoAway or TypeRstStream))
            {
                Frame();
            }
        }
    }

    private void Frame()
    {
        if (PeerClosed())
        {
            counters.FrameAfterPeerClosed(_type == TypeGoAway);
            return;
        }
        if (_type == TypeGoAway)
        {
            var lastStream = _payloadFill >= 4 ? (int)(BinaryPrimitives.ReadUInt32BigEndian(_payload) & 0x7fff_ffff) : -1;
            var code = _payloadFill >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(_payload.AsSpan(4)) : 0;
            counters.GoAwayFrame(lastStream, code);
            if (!_sawGoAway)
            {
                _sawGoAway = true;
                counters.GoAwayConnection();
            }
        }
        else
        {
            counters.RstStreamFrame(_payloadFill >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(_payload) : 0);
        }
    }
}
