using System;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace GoNetTools.Lab.Server;

/// <summary>One accepted connection: its request count (for the per-connection fault budgets) and its frame tap.</summary>
internal sealed class LabConnection(LabCounters counters)
{
    private int _requests;
    private int _closeRequested;

    public Http2FrameTap Tap { get; } = new(counters);

    public int NextRequest() => Interlocked.Increment(ref _requests);

    /// <summary>True the first time only: a connection is asked to close once.</summary>
    public bool TryRequestClose() => Interlocked.Exchange(ref _closeRequested, 1) == 0;

    /// <summary>Asks Kestrel to close the connection gracefully (h2: GOAWAY); set from the connection's requests.</summary>
    public Action? RequestClose { get; set; }
}

/// <summary>
/// Kestrel connection middleware. <see cref="Accept"/> runs first on the raw TCP connection: it counts the
/// connection and holds the TLS handshake back by the handshake delay (the ClientHello waits unread in the
/// socket). <see cref="Tap"/> runs after TLS (cleartext: straight away) and routes the decrypted output
/// through an <see cref="Http2FrameTap"/>, so GOAWAY and RST_STREAM frames are counted as written.
/// </summary>
internal sealed class ConnectionTaps(LabOptions options, LabCounters counters)
{
    private readonly ConcurrentDictionary<string, LabConnection> _connections = new(StringComparer.Ordinal);

    public LabConnection? Find(string connectionId) => _connections.TryGetValue(connectionId, out var c) ? c : null;

    /// <summary>The connections open now.</summary>
    public System.Collections.Generic.IEnumerable<LabConnection> All => _connections.Values;

    public ConnectionDelegate Accept(ConnectionDelegate next) => async context =>
    {
        counters.ConnectionOpened();
        _connections[context.ConnectionId] = new LabConnection(counters);
        try
        {
            if (options.HandshakeDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.HandshakeDelay, context.ConnectionClosed).ConfigureAwait(false);
            }
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away during the handshake delay.
        }
        finally
        {
            _connections.TryRemove(context.ConnectionId, out _);
            counters.ConnectionClosed();
        }
    };

    public ConnectionDelegate Tap(ConnectionDelegate next) => async context =>
    {
        if (!options.Cleartext)
        {
            counters.TlsHandshake();
        }
        var connection = Find(context.ConnectionId) ?? new LabConnection(counters);
        var original = context.Transport;
        var output = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var input = new PeerClosedPipeReader(original.Input);
        connection.Tap.PeerClosed = () => input.PeerClosed;
        context.Transport = new DuplexPipe(input, output.Writer);
        var pump = PumpAsync(output.Reader, original.Output, connection.Tap);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            await output.Writer.CompleteAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            context.Transport = original;
        }
    };

    private static async Task PumpAsync(PipeReader reader, PipeWriter destination, Http2FrameTap tap)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    tap.Observe(segment.Span);
                    await destination.WriteAsync(segment).ConfigureAwait(false);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.IO.IOException or InvalidOperationException or OperationCanceledException or ConnectionResetException)
        {
            await reader.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
