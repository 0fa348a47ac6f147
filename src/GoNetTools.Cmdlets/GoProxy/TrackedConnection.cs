using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Platform.Linux;

namespace GoNetTools.GoProxy;

/// <summary>
/// The TCP connection under one HttpClient connection: a NetworkStream that notes who closed first (a read that
/// returns 0 before we close means the server's FIN came first), reads tcp_info just before the socket closes
/// (Linux getsockopt(TCP_INFO)), and credits each HTTP/1.1 request to the connection that wrote it.
/// </summary>
internal sealed class TrackedConnection : Stream
{
    private const int IPPROTO_TCP = 6, TCP_INFO = 11;

    private readonly Socket _socket;
    private readonly NetworkStream _inner;
    private readonly long _openedTicks;
    private int _closed;
    private int _disposeStarted;

    public TrackedConnection(Socket socket, GoProxyConnection record, long openedTicks)
    {
        _socket = socket;
        _inner = new NetworkStream(socket, ownsSocket: true);
        Record = record;
        _openedTicks = openedTicks;
        ConnectedTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>The request the current async flow is sending (HTTP/1.1 writes happen on the caller's flow).</summary>
    public static readonly AsyncLocal<RequestAttribution?> CurrentRequest = new();

    public GoProxyConnection Record { get; }

    /// <summary>Stopwatch timestamp when TCP connected (the TLS handshake starts here).</summary>
    public long ConnectedTicks { get; }

    /// <summary>HTTP/2 streams this connection opened (HEADERS frames written), from the frame tap.</summary>
    public int Http2Streams => Volatile.Read(ref _http2Streams);

    private int _http2Streams;

    /// <summary>Counts one HEADERS frame we wrote (a new stream).</summary>
    public void AddHttp2Stream() => Interlocked.Increment(ref _http2Streams);

    /// <summary>True once the server sent FIN before we closed.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>True once TLS finished (or for cleartext, the connection was handed to HTTP).</summary>
    public bool Established { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

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
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Attribute();
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Reads tcp_info now (also used for connections still open at the end of the run).</summary>
    public void Snapshot()
    {
        lock (Record)
        {
            Record.Lifetime = Stopwatch.GetElapsedTime(_openedTicks);
            if (IsClosed)
            {
                return;
            }
            if (!OperatingSystem.IsLinux())
            {
                PeerClosed |= PeerSentFin();
                return;
            }
            try
            {
                Span<byte> info = stackalloc byte[256];
                int length = _socket.GetRawSocketOption(IPPROTO_TCP, TCP_INFO, info);
                var parsed = TcpInfoParser.Parse(info[..length]);
                // tcpi_state (byte 0): CLOSE_WAIT (8) or LAST_ACK (9) means the server's FIN arrived first.
                if (length > 0 && info[0] is 8 or 9)
                {
                    PeerClosed = true;
                }
                Record.Retransmits = parsed.TotalRetrans;
                Record.SegmentsOut = parsed.SegsOut;
                Record.Rtt = parsed.Rtt;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The socket is already gone: the figures from the last snapshot stand.
            }
        }
    }

    /// <summary>Readable with nothing to read: the peer's FIN is queued (any OS).</summary>
    private bool PeerSentFin()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.CompareExchange(ref _disposeStarted, 1, 0) == 0)
        {
            Snapshot();
            Volatile.Write(ref _closed, 1);
            lock (Record)
            {
                if (Record.ClosedBy == ConnectionCloser.Open)
                {
                    Record.ClosedBy = PeerClosed ? ConnectionCloser.Server : ConnectionCloser.Client;
                }
            }
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Saw(int read, int asked)
    {
        if (read == 0 && asked > 0)
        {
            PeerClosed = true;
        }
        return read;
    }

    private IOException Failed(IOException e)
    {
        if (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
        {
            lock (Record)
            {
                if (Record.ClosedBy == ConnectionCloser.Open)
                {
                    Record.ClosedBy = ConnectionCloser.Reset;
                }
            }
        }
        return e;
    }

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
