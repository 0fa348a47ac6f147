using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Platform.Linux;

namespace GoNetTools.GoProxy;

/// <summary>
/// The TCP connection under one HttpClient connection. It decides who closed first from the first FIN or RST our
/// socket saw: a read that returns 0 (the server's FIN), a reset, or — when we close — the kernel's TCP state
/// (Linux tcp_info): CLOSE_WAIT/LAST_ACK means the server's FIN had arrived, CLOSE an RST; otherwise we shut our
/// side down first. It also reads tcp_info before closing, limits the TLS handshake to Go's 10 s, resolves the
/// connect backoff ticket, and credits each HTTP/1.1 request to the connection that wrote it.
/// </summary>
internal sealed partial class TrackedConnection : Stream
{
    private const int IPPROTO_TCP = 6, TCP_INFO = 11;

    private readonly Socket _socket;
    private readonly NetworkStream _inner;
    private readonly long _openedTicks;
    private readonly ConnectBackoff.Ticket? _ticket;
    private readonly Action<TrackedConnection>? _closedBeforeEstablished;
    private Timer? _handshakeTimer;
    private int _closed;
    private int _disposeStarted;
    private int _established;

    public TrackedConnection(Socket socket, GoProxyConnection record, long openedTicks, ConnectBackoff.Ticket? ticket,
        Action<TrackedConnection>? closedBeforeEstablished = null)
    {
        _closedBeforeEstablished = closedBeforeEstablished;
        _socket = socket;
        _inner = new NetworkStream(socket, ownsSocket: true);
        Record = record;
        _openedTicks = openedTicks;
        _ticket = ticket;
        ConnectedTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>The request the current async flow is sending (HTTP/1.1 writes happen on the caller's flow).</summary>
    public static readonly AsyncLocal<RequestAttribution?> CurrentRequest = new();

    public GoProxyConnection Record { get; }

    /// <summary>Stopwatch timestamp when TCP connected (the TLS handshake starts here).</summary>
    public long ConnectedTicks { get; }

    /// <summary>HTTP/2 bookkeeping from the frame tap, once the connection negotiated h2.</summary>
    public Http2ConnectionState? Http2 { get; set; }

    /// <summary>True once TLS finished (or, for cleartext, the connection was handed to HTTP).</summary>
    public bool Established => Volatile.Read(ref _established) != 0;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>TLS done (or cleartext handed over): the attempt succeeded, the handshake limit no longer applies.</summary>
    public void MarkEstablished()
    {
        Volatile.Write(ref _established, 1);
        _handshakeTimer?.Dispose();
        _ticket?.Succeeded();
    }

    /// <summary>Go's TLSHandshakeTimeout: not established within <paramref name="limit"/> → <paramref name="onTimeout"/>, then the socket is closed.</summary>
    public void StartHandshakeTimer(TimeSpan limit, Action<TrackedConnection> onTimeout) =>
        _handshakeTimer = new Timer(_ =>
        {
            if (Established || IsClosed)
            {
                return;
            }
            lock (Record)
            {
                Record.TlsFailure ??= TlsFailureCause.HandshakeTimeout;
            }
            onTimeout(this);
            Abort();
            HandshakeBroken();
        }, null, limit, Timeout.InfiniteTimeSpan);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Saw(_inner.Read(buffer), buffer.Length);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Saw(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Attribute();
        try
        {
            _inner.Write(buffer);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Attribute();
        var write = _inner.WriteAsync(buffer, cancellationToken);
        // The common case completes at once: no state machine for it.
        return write.IsCompletedSuccessfully ? write : Awaited(write);
    }

    private async ValueTask Awaited(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Reads tcp_info now (also used for connections still open at the end of the run); returns tcpi_state, or 0.</summary>
    public byte Snapshot()
    {
        lock (Record)
        {
            Record.Lifetime = Stopwatch.GetElapsedTime(_openedTicks);
            if (IsClosed || !OperatingSystem.IsLinux())
            {
                return 0;
            }
            try
            {
                Span<byte> info = stackalloc byte[256];
                int length = _socket.GetRawSocketOption(IPPROTO_TCP, TCP_INFO, info);
                var parsed = TcpInfoParser.Parse(info[..length]);
                Record.Retransmits = parsed.TotalRetrans;
                Record.SegmentsOut = parsed.SegsOut;
                Record.Rtt = parsed.Rtt;
                return length > 0 ? info[0] : (byte)0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.CompareExchange(ref _disposeStarted, 1, 0) == 0)
        {
            _handshakeTimer?.Dispose();
            DecideCloserAtClose();
            Volatile.Write(ref _closed, 1);
            if (!Established)
            {
                _ticket?.Failed();
                HandshakeBroken();
            }
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Saw(int read, int asked)
    {
        if (read == 0 && asked > 0)
        {
            FirstClose(ConnectionCloser.Server);
            HandshakeBroken();
        }
        return read;
    }

    private IOException Failed(IOException e)
    {
        if (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
        {
            FirstClose(ConnectionCloser.Aborted);
        }
        HandshakeBroken();
        return e;
    }

    /// <summary>EOF or an error before TLS finished: told now, before the request sees the exception it causes.</summary>
    private void HandshakeBroken()
    {
        if (!Established && Interlocked.Exchange(ref _handshakeReported, 1) == 0)
        {
            // The attempt is over now, whenever the handler gets round to disposing the stream.
            _ticket?.Failed();
            _closedBeforeEstablished?.Invoke(this);
        }
    }

    private int _handshakeReported;

    private void Attribute()
    {
        if (CurrentRequest.Value is { Connection: null } request)
        {
            request.Connection = this;
            lock (Record)
            {
                Record.Requests++;
            }
        }
    }
}

/// <summary>Set by a worker before it sends an HTTP/1.1 request; the connection that writes it fills itself in.</summary>
internal sealed class RequestAttribution
{
    public TrackedConnection? Connection { get; set; }
}
