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
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// Every TCP connection the run opens. Supplies SocketsHttpHandler's ConnectCallback (we make the socket: bind to
/// the -Adapter address, time the connect) and PlaintextStreamFilter (called once TLS is done: the time between
/// the two is the TLS handshake; the negotiated version is known here; h2 streams get the frame tap).
/// TLS stays inside the handler, so https keeps its :scheme and ALPN.
/// </summary>
internal sealed class ConnectionRegistry
{
    /// <summary>SslStream keeps the stream it wraps in AuthenticatedStream.InnerStream (protected): that is how a filter call finds its connection.</summary>
    private static readonly PropertyInfo? InnerStreamProperty =
        typeof(AuthenticatedStream).GetProperty("InnerStream", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly List<TrackedConnection> _connections = new();
    private readonly IPAddress? _bind;
    private readonly long _runStart = Stopwatch.GetTimestamp();
    private readonly object _frames = new();
    private readonly Dictionary<string, int> _rstCodes = new(StringComparer.Ordinal);
    private readonly List<(string Code, int LastStreamId)> _goAways = new();

    public ConnectionRegistry(IPAddress? bind) => _bind = bind;

    /// <summary>Raised when a connection negotiates HTTP/1.1 (the engine then switches to Go's HTTP/1.1 idle pool).</summary>
    public event Action? Http1Negotiated;

    public int RstStreams { get { lock (_frames) { return _rstCodes.Values.Sum(); } } }

    public int GoAways { get { lock (_frames) { return _goAways.Count; } } }

    /// <summary>True once any connection finished TLS (or, for http://, was handed to HTTP).</summary>
    public bool AnyEstablished { get { lock (_connections) { return _connections.Any(c => c.Established); } } }

    public int Count { get { lock (_connections) { return _connections.Count; } } }

    public Dictionary<string, int> RstCodes() { lock (_frames) { return new Dictionary<string, int>(_rstCodes, StringComparer.Ordinal); } }

    public List<(string Code, int LastStreamId)> GoAwayList() { lock (_frames) { return _goAways.ToList(); } }

    public TrackedConnection[] Snapshot() { lock (_connections) { return _connections.ToArray(); } }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
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
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        TrackedConnection connection;
        lock (_connections)
        {
            var record = new GoProxyConnection
            {
                Id = _connections.Count + 1,
                LocalEndPoint = socket.LocalEndPoint?.ToString() ?? "",
                RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "",
                ConnectTime = Stopwatch.GetElapsedTime(started),
                OpenedAt = DateTime.Now,
            };
            connection = new TrackedConnection(socket, record, started);
            _connections.Add(connection);
        }
        return connection;
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
            connection.Established = true;
            connection.Record.Protocol = h2 ? "h2" : "http/1.1";
            if (stream is SslStream)
            {
                connection.Record.TlsHandshake = Stopwatch.GetElapsedTime(connection.ConnectedTicks);
            }
        }
        if (!h2)
        {
            Http1Negotiated?.Invoke();
            return new ValueTask<Stream>(stream);
        }
        return new ValueTask<Stream>(new Http2FrameTap(stream, connection, this));
    }

    public void OnServerFrame(TrackedConnection connection, byte type, int streamId, ReadOnlySpan<byte> payload)
    {
        if (type == Http2FrameScanner.GoAway && payload.Length >= 8)
        {
            int last = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFF_FFFF);
            var code = Http2ErrorCodes.Name(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload[4..]));
            lock (connection.Record)
            {
                connection.Record.GoAways++;
                connection.Record.GoAwayLastStreamId = last;
                connection.Record.GoAwayError = code;
            }
            lock (_frames)
            {
                _goAways.Add((code, last));
            }
        }
        else if (type == Http2FrameScanner.RstStream && payload.Length >= 4 && streamId != 0)
        {
            var code = Http2ErrorCodes.Name(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload));
            lock (connection.Record)
            {
                connection.Record.RstStreams++;
            }
            lock (_frames)
            {
                _rstCodes[code] = _rstCodes.TryGetValue(code, out var n) ? n + 1 : 1;
            }
        }
    }

    /// <summary>Final per-connection records: tcp_info for the ones still open, h2 stream counts as requests.</summary>
    public GoProxyConnection[] Finish()
    {
        var all = Snapshot();
        foreach (var connection in all)
        {
            if (!connection.IsClosed)
            {
                connection.Snapshot();
            }
            lock (connection.Record)
            {
                if (connection.Record.Protocol == "h2")
                {
                    connection.Record.Requests = connection.Http2Streams;
                }
            }
        }
        return all.Select(c => c.Record).ToArray();
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_runStart);
}
