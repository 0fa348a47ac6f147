using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.PcapFiles;

/// <summary>
/// A forward-only window over a stream: hands out spans of the next N bytes without copying each packet,
/// refilling one large buffer as it goes. Capture readers sit on this instead of one Stream.Read per field.
/// </summary>
internal sealed class ChunkedInput
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public ChunkedInput(Stream stream, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Bytes consumed so far (for progress).</summary>
    public long Position { get; private set; }

    /// <summary>True when the stream has nothing left and the window is empty.</summary>
    public bool AtEnd => _start == _end && !Fill(1);

    /// <summary>
    /// The next <paramref name="count"/> bytes without consuming them; false when the stream ends first
    /// (a truncated file), in which case <paramref name="available"/> says how many were there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryPeek(int count, out ReadOnlySpan<byte> bytes, out int available)
    {
        if (_end - _start < count && !Fill(count))
        {
            available = _end - _start;
            bytes = default;
            return false;
        }
        available = count;
        bytes = new ReadOnlySpan<byte>(_buffer, _start, count);
        return true;
    }

    /// <summary>Consumes <paramref name="count"/> bytes (after a successful peek).</summary>
    public void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    /// <summary>Skips <paramref name="count"/> bytes, reading past the window where needed; false at end of stream.</summary>
    public bool Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill(1))
            {
                return false;
            }
            var step = (int)Math.Min(count, _end - _start);
            Advance(step);
            count -= step;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Fill(int count)
    {
        if (_eof)
        {
            return _end - _start >= count;
        }
        if (count > _buffer.Length)
        {
            var bigger = new byte[Math.Max(count, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _eof = true;
                return false;
            }
            _end += read;
        }
        return true;
    }
}
