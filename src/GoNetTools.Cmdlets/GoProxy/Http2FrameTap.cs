using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.GoProxy;

/// <summary>
/// Wraps the decrypted stream SocketsHttpHandler gives its PlaintextStreamFilter when a connection negotiated
/// h2: every byte the server sends is scanned for its frames (responses, stream ends, GOAWAY, RST_STREAM),
/// every byte we send for the HEADERS frames that open streams. Nothing is changed; the frames are observed,
/// not guessed.
/// </summary>
internal sealed class Http2FrameTap : Stream
{
    private readonly Stream _inner;
    private readonly Http2FrameScanner _incoming;
    private readonly Http2FrameScanner _outgoing;

    public Http2FrameTap(Stream inner, TrackedConnection connection, ConnectionRegistry registry)
    {
        _inner = inner;
        var state = connection.Http2 ??= new Http2ConnectionState();
        _incoming = new Http2FrameScanner((type, flags, stream, payload) => registry.OnServerFrame(connection, type, flags, stream, payload.Span), skipPreface: false);
        _outgoing = new Http2FrameScanner((type, flags, _, _) => state.Outgoing(type, flags), skipPreface: true);
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        _incoming.Feed(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _incoming.Feed(buffer.Span[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _outgoing.Feed(buffer);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _outgoing.Feed(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();
}
