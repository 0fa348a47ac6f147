using System;
using System.Collections;

namespace GoNetTools;

/// <summary>
/// What a lab GOPROXY did, counted by the lab itself. GoAwaysSent and RstStreamsSent are HTTP/2 frames really
/// written (counted from the lab's decrypted output) while the client was connected, so a client that counts
/// the frames it receives must see the same numbers.
/// </summary>
public sealed class GoProxyLabStatistics
{
    /// <summary>When the lab took the counts.</summary>
    public DateTime Timestamp { get; init; }
    /// <summary>Requests received (all kinds, all protocols).</summary>
    public long Requests { get; init; }
    /// <summary>Requests over HTTP/1.x.</summary>
    public long Http1Requests { get; init; }
    /// <summary>Requests over HTTP/2.</summary>
    public long Http2Requests { get; init; }
    /// <summary>TCP connections accepted.</summary>
    public long Connections { get; init; }
    /// <summary>Connections open now.</summary>
    public long ActiveConnections { get; init; }
    /// <summary>TLS handshakes completed.</summary>
    public long TlsHandshakes { get; init; }
    /// <summary>
    /// GOAWAY frames written while the client was still connected (any error code, including Kestrel's own on
    /// protocol errors): the ones a client can receive.
    /// </summary>
    public long GoAwaysSent { get; init; }
    /// <summary>GOAWAY frames written after the client had closed its side (Kestrel answering a dropped idle connection); no client sees these.</summary>
    public long GoAwaysAfterClientClosed { get; init; }
    /// <summary>Connections that received at least one GOAWAY.</summary>
    public long GoAwayConnections { get; init; }
    /// <summary>Graceful GOAWAYs the lab asked for (-GoAwayAfterStreams, -CloseAfterRequests on HTTP/2).</summary>
    public long GoAwaysRequested { get; init; }
    /// <summary>Last-stream-id of the most recent GOAWAY; -1 when none was sent.</summary>
    public long LastGoAwayStreamId { get; init; } = -1;
    /// <summary>RST_STREAM frames written while the client was connected.</summary>
    public long RstStreamsSent { get; init; }
    /// <summary>RST_STREAM frames written after the client had closed its side.</summary>
    public long RstStreamsAfterClientClosed { get; init; }
    /// <summary>Stream resets the lab injected (-ResetStreamPercent over HTTP/2).</summary>
    public long ResetsRequested { get; init; }
    /// <summary>HTTP/1.1 responses sent with "Connection: close".</summary>
    public long ConnectionCloses { get; init; }
    /// <summary>HTTP/1.1 connections dropped mid-request (-ResetStreamPercent over HTTP/1.1).</summary>
    public long ConnectionAborts { get; init; }
    /// <summary>Bytes the server wrote (after TLS decryption: HTTP framing and bodies).</summary>
    public long BytesWritten { get; init; }
    /// <summary>Requests answered 429 Too Many Requests with Retry-After (-TooManyRequestsEvery).</summary>
    public long Throttled { get; init; }
    /// <summary>Requests that arrived while a Retry-After the lab had sent was still running (a client that honours it sends none, but for requests already in flight).</summary>
    public long RequestsDuringRetryAfter { get; init; }
    /// <summary>Reloads done (-ReloadAfterRequests): every open connection was asked to close gracefully.</summary>
    public long Reloads { get; init; }
    /// <summary>Requests by kind: list, info, mod, zip, latest, other.</summary>
    public Hashtable RequestsByKind { get; init; } = new();
    /// <summary>Responses by HTTP status code.</summary>
    public Hashtable ResponsesByStatus { get; init; } = new();
    /// <summary>GOAWAY frames by error code name (NO_ERROR, …).</summary>
    public Hashtable GoAwayErrorCodes { get; init; } = new();
    /// <summary>RST_STREAM frames by error code name (INTERNAL_ERROR, …).</summary>
    public Hashtable RstStreamErrorCodes { get; init; } = new();

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"Requests={Requests} Connections={Connections} GoAways={GoAwaysSent} RstStreams={RstStreamsSent}");
}
