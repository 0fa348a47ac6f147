namespace GoNetTools;

/// <summary>Which end of a TCP connection did something (sent the first FIN, a RST, holds TIME_WAIT).</summary>
public enum FlowSide
{
    /// <summary>Neither side (not seen in the capture).</summary>
    None = 0,
    /// <summary>The side that sent the SYN (for a mid-stream flow: the side with the ephemeral port).</summary>
    Client,
    /// <summary>The side that answered the SYN.</summary>
    Server,
}

/// <summary>Which way a frame or segment travelled.</summary>
public enum FlowDirection
{
    /// <summary>From the client to the server.</summary>
    ClientToServer = 0,
    /// <summary>From the server to the client.</summary>
    ServerToClient,
}

/// <summary>The application protocol recognised on a flow's first bytes.</summary>
public enum FlowProtocol
{
    /// <summary>No payload seen, or the start of the stream was not captured.</summary>
    Unknown = 0,
    /// <summary>TLS (a handshake record opened the client's stream).</summary>
    Tls,
    /// <summary>Cleartext HTTP/2 with prior knowledge (the client preface opened the stream).</summary>
    Http2,
    /// <summary>Cleartext HTTP/1.1 upgraded to HTTP/2 (Upgrade: h2c, 101 Switching Protocols).</summary>
    Http2Upgrade,
    /// <summary>Cleartext HTTP/1.x without an upgrade.</summary>
    Http1,
    /// <summary>Payload of another protocol.</summary>
    Other,
}

/// <summary>One error code and how often it appeared (RST_STREAM or GOAWAY tallies).</summary>
public sealed class Http2ErrorCount
{
    /// <summary>The HTTP/2 error code.</summary>
    public Http2ErrorCode ErrorCode { get; init; }
    /// <summary>How many frames carried it.</summary>
    public int Count { get; set; }

    /// <summary>"CODE×N".</summary>
    public override string ToString() => $"{ErrorCode}×{Count}";
}

/// <summary>A count per server name (TLS handshakes by SNI).</summary>
public sealed class SniCount
{
    /// <summary>The server name the client asked for; "(none)" when the ClientHello had no SNI.</summary>
    public string Sni { get; init; } = "";
    /// <summary>How many handshakes named it.</summary>
    public int Count { get; set; }

    /// <summary>"name×N".</summary>
    public override string ToString() => $"{Sni}×{Count}";
}
