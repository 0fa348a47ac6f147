using System;
using System.Buffers.Binary;

namespace GoNetTools.GoProxy;

/// <summary>HTTP/2 error codes (RFC 9113 §7) by name.</summary>
internal static class Http2ErrorCodes
{
    private static readonly string[] Names =
    {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };

    public static string Name(uint code) => code < Names.Length ? Names[code] : $"0x{code:x}";
}

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
                    _payloadLeft = (_header[0] << 16) | (_header[1] << 8) | _header[2];
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
        int streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(5)) & 0x7FFF_FFFF);
        _onFrame(_header[3], _header[4], streamId, _prefix.AsMemory(0, _prefixFill));
    }
}
