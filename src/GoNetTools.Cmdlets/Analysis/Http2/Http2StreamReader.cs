using System;
using GoNetTools.Analysis.Tcp;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Analysis.Http2;

/// <summary>Receives each whole frame header with the part of its payload that was kept.</summary>
internal delegate void Http2FrameHandler(in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks);

/// <summary>
/// Reads one direction of a cleartext HTTP/2 connection frame by frame: checks the client preface when told
/// to, keeps the payload of control frames (GOAWAY, RST_STREAM, SETTINGS, PING, WINDOW_UPDATE; up to
/// <see cref="MaxKeptPayload"/> bytes) and skips DATA, HEADERS and the rest by length, so memory stays a
/// few hundred bytes however large the transfer.
/// </summary>
internal sealed class Http2StreamReader : IStreamConsumer
{
    public const int MaxKeptPayload = 512;

    private readonly Http2FrameHandler _onFrame;
    private readonly byte[] _header = new byte[Http2Frames.HeaderLength];
    private int _prefaceMatched;
    private int _headerFill;
    private Http2FrameHeader _current;
    private bool _inPayload;
    private int _payloadRemaining;
    private byte[]? _kept;
    private int _keptFill;
    private bool _keep;

    public Http2StreamReader(bool expectPreface, Http2FrameHandler onFrame)
    {
        _prefaceMatched = expectPreface ? 0 : Http2Frames.Preface.Length;
        _onFrame = onFrame;
    }

    /// <summary>False when the client's first bytes were not the HTTP/2 preface.</summary>
    public bool IsHttp2 { get; private set; } = true;

    /// <summary>Frames read so far.</summary>
    public long Frames { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Feed(ReadOnlySpan<byte> data, long ticks)
    {
        var preface = Http2Frames.Preface;
        while (_prefaceMatched < preface.Length && data.Length > 0)
        {
            if (data[0] != preface[_prefaceMatched])
            {
                IsHttp2 = false;
                return false;
            }
            _prefaceMatched++;
            data = data[1..];
        }
        while (data.Length > 0)
        {
            if (!_inPayload)
            {
                var take = Math.Min(Http2Frames.HeaderLength - _headerFill, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                data = data[take..];
                if (_headerFill < Http2Frames.HeaderLength)
                {
                    return true;
                }
                _headerFill = 0;
                Http2Frames.TryReadHeader(_header, out _current);
                _payloadRemaining = _current.Length;
                _keep = _current.Type is 3 or 4 or 6 or 7 or 8;
                _keptFill = 0;
                _inPayload = true;
            }
            var chunk = data[..Math.Min(_payloadRemaining, data.Length)];
            data = data[chunk.Length..];
            _payloadRemaining -= chunk.Length;
            if (_keep && _keptFill < MaxKeptPayload)
            {
                _kept ??= new byte[MaxKeptPayload];
                var room = Math.Min(chunk.Length, MaxKeptPayload - _keptFill);
                chunk[..room].CopyTo(_kept.AsSpan(_keptFill));
                _keptFill += room;
            }
            if (_payloadRemaining == 0)
            {
                _inPayload = false;
                Frames++;
                _onFrame(in _current, _keep && _kept is not null ? _kept.AsSpan(0, _keptFill) : ReadOnlySpan<byte>.Empty, ticks);
            }
        }
        return true;
    }
}
