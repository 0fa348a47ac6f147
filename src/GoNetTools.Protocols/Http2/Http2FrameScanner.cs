using System;

namespace GoNetTools.Protocols.Http2;

/// <summary>
/// Follows an HTTP/2 byte stream in one direction and reports each frame header (RFC 9113 §4.1: 24-bit length,
/// type, flags, reserved bit + 31-bit stream id) with the first 8 payload bytes, which hold everything RST_STREAM
/// (error code) carries; for GOAWAY (last stream id, error code, debug data) the first 8 + 128 bytes, so the
/// debug data can be shown. Bytes may arrive split anywhere.
/// The client direction starts with the 24-byte connection preface, which is skipped.
/// </summary>
internal sealed class Http2FrameScanner
{
    public const byte Data = 0, Headers = 1, RstStream = 3, Settings = 4, GoAway = 7;
    public const byte EndStream = 0x1;
    private const int HeaderLength = 9, PrefixLength = 8, GoAwayDebugLength = 128;

    private readonly byte[] _header = new byte[HeaderLength];
    private readonly byte[] _prefix = new byte[PrefixLength + GoAwayDebugLength];
    private readonly Action<byte, byte, int, ReadOnlyMemory<byte>> _onFrame;
    private int _skip;
    private int _headerFill;
    private int _payloadLeft;
    private int _prefixFill;
    private int _prefixWanted;

    /// <param name="onFrame">type, flags, stream id, first ≤ 8 payload bytes (≤ 136 for GOAWAY).</param>
    /// <param name="skipPreface">true for the client → server direction.</param>
    public Http2FrameScanner(Action<byte, byte, int, ReadOnlyMemory<byte>> onFrame, bool skipPreface)
    {
        _onFrame = onFrame;
        _skip = skipPreface ? 24 : 0;
    }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_skip > 0)
            {
                int n = Math.Min(_skip, bytes.Length);
                _skip -= n;
                bytes = bytes[n..];
            }
            else if (_payloadLeft > 0 || _prefixWanted > 0)
            {
                bytes = ConsumePayload(bytes);
            }
            else
            {
                int n = Math.Min(HeaderLength - _headerFill, bytes.Length);
                bytes[..n].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += n;
                bytes = bytes[n..];
                if (_headerFill == HeaderLength)
                {
                    _headerFill = 0;
                    Http2Frames.TryReadHeader(_header, out var header);
                    _payloadLeft = header.Length;
                    _prefixWanted = Math.Min(_header[3] == GoAway ? PrefixLength + GoAwayDebugLength : PrefixLength, _payloadLeft);
                    _prefixFill = 0;
                    if (_prefixWanted == 0)
                    {
                        Emit();
                    }
                }
            }
        }
    }

    private ReadOnlySpan<byte> ConsumePayload(ReadOnlySpan<byte> bytes)
    {
        if (_prefixFill < _prefixWanted)
        {
            int n = Math.Min(_prefixWanted - _prefixFill, bytes.Length);
            bytes[..n].CopyTo(_prefix.AsSpan(_prefixFill));
            _prefixFill += n;
            _payloadLeft -= n;
            bytes = bytes[n..];
            if (_prefixFill == _prefixWanted)
            {
                Emit();
                _prefixWanted = 0;
            }
            return bytes;
        }
        int skip = Math.Min(_payloadLeft, bytes.Length);
        _payloadLeft -= skip;
        return bytes[skip..];
    }

    private void Emit()
    {
        Http2Frames.TryReadHeader(_header, out var header);
        _onFrame(header.Type, header.Flags, header.StreamId, _prefix.AsMemory(0, _prefixFill));
    }
}
