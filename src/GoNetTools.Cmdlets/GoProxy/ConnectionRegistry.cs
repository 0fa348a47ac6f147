using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// Every TCP connection the run opens. Supplies SocketsHttpHandler's ConnectCallback (we make the socket: wait our
/// turn in the connect backoff, bind to the -Adapter address, time the connect, start Go's 10 s TLS handshake
/// limit), the certificate check (which records why a certificate was rejected) and PlaintextStreamFilter (called
/// once TLS is done: the time between is the TLS handshake; h2 connections get the frame tap).
/// TLS stays inside the handler, so https keeps its :scheme and ALPN.
/// </summary>
internal sealed partial class ConnectionRegistry
{
    /// <summary>Go's http.DefaultTransport TLSHandshakeTimeout.</summary>
    public static readonly TimeSpan TlsHandshakeLimit = TimeSpan.FromSeconds(10);
    /// <summary>Go's http.DefaultTransport dialer Timeout.</summary>
    public static readonly TimeSpan DialLimit = TimeSpan.FromSeconds(30);

    /// <summary>SslStream keeps the stream it wraps in AuthenticatedStream.InnerStream (protected): that is how a callback finds its connection.</summary>
    private static readonly PropertyInfo? InnerStreamProperty =
        typeof(AuthenticatedStream).GetProperty("InnerStream", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly List<TrackedConnection> _connections = new();
    private readonly HashSet<int> _localPorts = new();
    private readonly IPAddress? _bind;
    private readonly GuestPolicy _policy;
    private readonly RequestTracker _tracker;
    private readonly long _runStart = Stopwatch.GetTimestamp();
    private (TlsFailure Failure, long At)? _lastTlsFailure;

    public ConnectionRegistry(IPAddress? bind, GuestPolicy policy, RequestTracker tracker)
    {
        _bind = bind;
        _policy = policy;
        _tracker = tracker;
    }

    /// <summary>Raised when a connection negotiates HTTP/1.1 (the transport then switches to Go's HTTP/1.1 idle pool).</summary>
    public event Action? Http1Negotiated;

    /// <summary>True once any connection finished TLS (or, for http://, was handed to HTTP).</summary>
    public bool AnyEstablished { get { lock (_connections) { return _connections.Any(c => c.Established); } } }

    /// <summary>True while a TLS handshake is still within Go's limit (its own timer judges it, not the stall watch).</summary>
    public bool HandshakeWithinLimit
    {
        get
        {
            lock (_connections)
            {
                return _connections.Any(c => !c.Established && !c.IsClosed
                    && Stopwatch.GetElapsedTime(c.ConnectedTicks) < TlsHandshakeLimit + TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>
    /// After the run: waits (at most <paramref name="limit"/>) for the handlers to close every connection, as go's exit
    /// does, then closes any left (we close first); so every connection has its closer.
    /// </summary>
    public async Task SettleAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (Snapshot().Any(c => !c.IsClosed) && clock.Elapsed < limit)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }
        foreach (var open in Snapshot().Where(c => !c.IsClosed))
        {
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True while the proxy holds one of our TCP connections open (accepted, not yet closed).</summary>
    public bool AnyOpen { get { lock (_connections) { return _connections.Any(c => !c.IsClosed); } } }

    public int Count { get { lock (_connections) { return _connections.Count; } } }

    public TrackedConnection[] Snapshot() { lock (_connections) { return _connections.ToArray(); } }

    /// <summary>The local ports our connects were given (their sockets, in any state, are ours).</summary>
    public IReadOnlySet<int> LocalPorts() { lock (_connections) { return new HashSet<int>(_localPorts); } }

    /// <summary>Connections whose local port an earlier connection of this run had already used (a reused TIME_WAIT port).</summary>
    public int PortsReused()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Snapshot().Count(c => !seen.Add(c.Record.LocalEndPoint));
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_runStart);

    public long RunStartTicks => _runStart;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var target = context.InitialRequestMessage.RequestUri;
        var ticket = await _policy.Connects.EnterAsync(target is null ? $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}" : ConnectBackoff.Key(target), cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var socket = _bind is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(_bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (_bind is not null)
            {
                socket.Bind(new IPEndPoint(_bind, 0));
            }
            using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            dial.CancelAfter(DialLimit);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, dial.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
        }
        catch (Exception e)
        {
            ticket.Failed();
            socket.Dispose();
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset } && context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps)
            {
                // Only an accepted connection can be reset: .NET saw the reset while finishing connect(), go sees it
                // reading the TLS handshake. Either way the proxy accepted TCP and dropped the handshake.
                NoteTlsFailure(new TlsFailure(TlsFailureCause.ClosedDuringHandshake, "the server reset the connection as the TLS handshake began"));
            }
            throw;
        }
        TrackedConnection connection;
        try
        {
            lock (_connections)
            {
                var record = new GoProxyConnection
                {
                    Id = _connections.Count + 1,
                    LocalEndPoint = EndPointText(() => socket.LocalEndPoint, ""),
                    // A reset right after the SYN-ACK makes getpeername fail: the connect still succeeded; the reset is the handshake's.
                    RemoteEndPoint = EndPointText(() => socket.RemoteEndPoint, $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}"),
                    ConnectTime = Stopwatch.GetElapsedTime(started),
                    OpenedAt = DateTime.Now,
                };
                connection = new TrackedConnection(socket, record, started, ticket,
                    context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps ? OnHandshakeFailed : null);
                _connections.Add(connection);
                if (int.TryParse(record.LocalEndPoint[(record.LocalEndPoint.LastIndexOf(':') + 1)..], out var localPort))
                {
                    _localPorts.Add(localPort);
                }
            }
            if (context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps)
            {
                connection.StartHandshakeTimer(TlsHandshakeLimit, OnHandshakeTimeout);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            ticket.Failed();
            socket.Dispose();
            throw;
        }
        return connection;
    }

    private static string EndPointText(Func<EndPoint?> endPoint, string fallback)
    {
        try
        {
            return endPoint()?.ToString() ?? fallback;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return fallback;
        }
    }

    public ValueTask<Stream> FilterAsync(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        var stream = context.PlaintextStream;
        var connection = stream as TrackedConnection ?? (stream is AuthenticatedStream tls ? InnerStreamProperty?.GetValue(tls) as TrackedConnection : null);
        if (connection is null)
        {
            return new ValueTask<Stream>(stream);
        }
        bool h2 = context.NegotiatedHttpVersion.Major == 2;
        lock (connection.Record)
        {
            connection.Record.Protocol = h2 ? "h2" : "http/1.1";
            if (stream is SslStream)
            {
                connection.Record.TlsHandshake = Stopwatch.GetElapsedTime(connection.ConnectedTicks);
            }
        }
        connection.MarkEstablished();
        if (!h2)
        {
            Http1Negotiated?.Invoke();
            return new ValueTask<Stream>(stream);
        }
        return new ValueTask<Stream>(new Http2FrameTap(stream, connection, this));
    }

    /// <summary>
    /// Settles the closes that the TCP state alone could not tell, from the TIME_WAIT sockets of ours (local ports) in
    /// a socket table read at <paramref name="readAt"/> (a Stopwatch timestamp): only closes before that read.
    /// </summary>
    public void SettleClosers(IReadOnlySet<int> ourTimeWaitPorts, long readAt)
    {
        foreach (var c in Snapshot().Where(c => c.AmbiguousClose && c.AmbiguousSince < readAt))
        {
            c.SettleCloser(int.TryParse(c.Record.LocalEndPoint[(c.Record.LocalEndPoint.LastIndexOf(':') + 1)..], out var port) && ourTimeWaitPorts.Contains(port));
        }
    }

    /// <summary>Final per-connection records: tcp_info for the ones still open, h2 streams and responses from the tap.</summary>
    public GoProxyConnection[] Finish()
    {
        var all = Snapshot();
        foreach (var connection in all)
        {
            if (!connection.IsClosed)
            {
                connection.Snapshot();
            }
            if (connection.Http2 is { } h2)
            {
                lock (connection.Record)
                {
                    connection.Record.Requests = h2.StreamsOpened;
                    connection.Record.Responses = h2.Responses;
                }
            }
        }
        return all.Select(c => c.Record).ToArray();
    }
}
