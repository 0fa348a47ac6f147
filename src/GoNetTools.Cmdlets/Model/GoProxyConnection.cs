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
    /// <summary>Ended by a reset or an error.</summary>
    Reset,
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
    /// <summary>Who closed first.</summary>
    public ConnectionCloser ClosedBy { get; set; }
    /// <summary>GOAWAY frames received.</summary>
    public int GoAways { get; set; }
    /// <summary>Last stream id of the last GOAWAY.</summary>
    public int? GoAwayLastStreamId { get; set; }
    /// <summary>Error code name of the last GOAWAY.</summary>
    public string? GoAwayError { get; set; }
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
