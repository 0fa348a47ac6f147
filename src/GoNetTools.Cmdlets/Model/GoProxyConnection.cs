using System;

namespace GoNetTools;

/// <summary>Which side ended a connection.</summary>
public enum ConnectionCloser
{
    /// <summary>Still open when the run ended.</summary>
    Open,
    /// <summary>We closed first (TIME_WAIT stays on the client).</summary>
    Client,
    /// <summary>The server closed first (its FIN arrived before we closed).</summary>
    Server,
    /// <summary>Ended by a reset (RST) or an error before either side sent FIN: a dead server, a reset, a failed handshake.</summary>
    Aborted,
}

/// <summary>One TCP connection Test-GoProxyStability opened (-PassThru).</summary>
public sealed class GoProxyConnection
{
    /// <summary>Order of opening, from 1.</summary>
    public int Id { get; init; }
    /// <summary>Local endpoint.</summary>
    public string LocalEndPoint { get; init; } = "";
    /// <summary>Remote endpoint.</summary>
    public string RemoteEndPoint { get; init; } = "";
    /// <summary>Negotiated protocol (h2, http/1.1), or null before TLS completed.</summary>
    public string? Protocol { get; set; }
    /// <summary>TCP connect time.</summary>
    public TimeSpan ConnectTime { get; init; }
    /// <summary>TLS handshake time (TCP connected to TLS done); null for cleartext or an unfinished handshake.</summary>
    public TimeSpan? TlsHandshake { get; set; }
    /// <summary>When the connection was opened.</summary>
    public DateTime OpenedAt { get; init; }
    /// <summary>Open until closed (or until the end of the run).</summary>
    public TimeSpan Lifetime { get; set; }
    /// <summary>Requests (HTTP/1.1) or streams (HTTP/2) the connection carried.</summary>
    public int Requests { get; set; }
    /// <summary>Responses received on it (HTTP/2: response HEADERS; HTTP/1.1: responses to the requests it carried).</summary>
    public int Responses { get; set; }
    /// <summary>Who sent the first FIN (or RST: Aborted); decided from the first FIN/RST our socket saw.</summary>
    public ConnectionCloser ClosedBy { get; set; }
    /// <summary>GOAWAY frames received.</summary>
    public int GoAways { get; set; }
    /// <summary>Last stream id of the last GOAWAY.</summary>
    public int? GoAwayLastStreamId { get; set; }
    /// <summary>Error code name of the last GOAWAY.</summary>
    public string? GoAwayError { get; set; }
    /// <summary>What the GOAWAY meant (Budget, Shutdown, IdleTimeout, Error), decided after the run; null without GOAWAY.</summary>
    public string? GoAwayKind { get; set; }
    /// <summary>Requests the server processed before its GOAWAY (streams up to its last stream id).</summary>
    public int? RequestsAtGoAway { get; set; }
    /// <summary>The GOAWAY's debug data, printable ASCII only, at most 128 characters.</summary>
    public string? GoAwayDebugData { get; set; }
    /// <summary>When the (first) GOAWAY arrived, since the connection opened.</summary>
    public TimeSpan? GoAwayAt { get; set; }
    /// <summary>Why the TLS handshake failed (UntrustedRoot, NameMismatch, Expired, NoSharedProtocol, HandshakeTimeout…), or null.</summary>
    public string? TlsFailure { get; set; }
    /// <summary>RST_STREAM frames received.</summary>
    public int RstStreams { get; set; }
    /// <summary>Segments retransmitted (tcp_info, Linux).</summary>
    public long? Retransmits { get; set; }
    /// <summary>Segments sent (tcp_info, Linux).</summary>
    public long? SegmentsOut { get; set; }
    /// <summary>Smoothed RTT at close (tcp_info, Linux).</summary>
    public TimeSpan? Rtt { get; set; }

    /// <summary>"#id local -> remote protocol".</summary>
    public override string ToString() => $"#{Id} {LocalEndPoint} -> {RemoteEndPoint} {Protocol}";
}
