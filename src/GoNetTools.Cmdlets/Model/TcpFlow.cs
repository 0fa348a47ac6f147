using System;

namespace GoNetTools;

/// <summary>
/// One TCP connection read from a capture: who opened it, how long it lived, who closed it (and so holds
/// TIME_WAIT), what TLS or cleartext HTTP/2 it carried.
/// </summary>
public sealed class TcpFlow
{
    /// <summary>Client endpoint, "address:port" (the SYN sender).</summary>
    public string Client { get; init; } = "";
    /// <summary>Server endpoint, "address:port".</summary>
    public string Server { get; init; } = "";
    /// <summary>Client address.</summary>
    public string ClientAddress { get; init; } = "";
    /// <summary>Client port.</summary>
    public int ClientPort { get; init; }
    /// <summary>Server address.</summary>
    public string ServerAddress { get; init; } = "";
    /// <summary>Server port.</summary>
    public int ServerPort { get; init; }
    /// <summary>True when the capture began after the SYN: Client is then a guess (the ephemeral-looking port).</summary>
    public bool MidStream { get; init; }
    /// <summary>First packet (UTC).</summary>
    public DateTime Start { get; init; }
    /// <summary>Last packet (UTC).</summary>
    public DateTime End { get; init; }
    /// <summary>End − Start.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>SYN to the client's ACK of the SYN-ACK, as Wireshark's initial RTT; null without a full handshake.</summary>
    public TimeSpan? HandshakeRtt { get; init; }
    /// <summary>Segments client → server.</summary>
    public long PacketsToServer { get; init; }
    /// <summary>Segments server → client.</summary>
    public long PacketsToClient { get; init; }
    /// <summary>TCP payload bytes client → server.</summary>
    public long BytesToServer { get; init; }
    /// <summary>TCP payload bytes server → client.</summary>
    public long BytesToClient { get; init; }
    /// <summary>Segments that resent sequence space already seen (keep-alives and zero-window probes excluded).</summary>
    public int Retransmissions { get; init; }
    /// <summary>The side whose FIN came first.</summary>
    public FlowSide FirstFin { get; init; }
    /// <summary>The side that sent the first RST.</summary>
    public FlowSide ResetBy { get; init; }
    /// <summary>The side that closed first and so holds TIME_WAIT; None when a RST ended it or it never closed.</summary>
    public FlowSide TimeWaitHolder { get; init; }
    /// <summary>True when the capture ended with the connection still open.</summary>
    public bool Open { get; init; }
    /// <summary>What the first bytes were.</summary>
    public FlowProtocol Protocol { get; init; }
    /// <summary>server_name the client asked for, printable ASCII only: any other byte shows as \xNN (a packet cannot drive the terminal).</summary>
    public string? Sni { get; init; }
    /// <summary>server_name exactly as it was on the wire.</summary>
    public byte[]? SniBytes { get; init; }
    /// <summary>ALPN protocols the ClientHello offered.</summary>
    public string[]? AlpnOffered { get; init; }
    /// <summary>Version the ServerHello chose (supported_versions for TLS 1.3).</summary>
    public string? TlsVersion { get; init; }
    /// <summary>ALPN the server chose, when visible (TLS 1.2 ServerHello); see <see cref="AlpnNote"/>.</summary>
    public string? AlpnSelected { get; init; }
    /// <summary>Why AlpnSelected is empty, e.g. TLS 1.3 carries it encrypted.</summary>
    public string? AlpnNote { get; init; }
    /// <summary>Cleartext HTTP/2: client-initiated streams (requests).</summary>
    public int? Http2Streams { get; init; }
    /// <summary>Cleartext HTTP/2: the last GOAWAY seen, if any.</summary>
    public Http2GoAway? GoAway { get; init; }
    /// <summary>Cleartext HTTP/2: every GOAWAY frame by error code.</summary>
    public Http2ErrorCount[]? GoAways { get; init; }
    /// <summary>Cleartext HTTP/2: RST_STREAM frames by error code.</summary>
    public Http2ErrorCount[]? RstStreams { get; init; }
    /// <summary>The capture file.</summary>
    public string Path { get; init; } = "";

    /// <summary>"client -> server".</summary>
    public override string ToString() => $"{Client} -> {Server}";
}

/// <summary>A GOAWAY frame's fields.</summary>
public sealed class Http2GoAway
{
    /// <summary>Who sent it.</summary>
    public FlowSide SentBy { get; init; }
    /// <summary>Streams above this are safe to retry.</summary>
    public int LastStreamId { get; init; }
    /// <summary>NO_ERROR is a graceful close (a stream budget), anything else a failure.</summary>
    public Http2ErrorCode ErrorCode { get; init; }
    /// <summary>Opaque debug data as text.</summary>
    public string DebugData { get; init; } = "";

    /// <summary>"CODE last=N".</summary>
    public override string ToString() => $"{ErrorCode} last={LastStreamId}";
}
