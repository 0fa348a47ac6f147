using System;

namespace GoNetTools;

/// <summary>What one capture says about connection churn, TLS handshakes, TIME_WAIT and HTTP/2 endings.</summary>
public sealed class CaptureSummary
{
    /// <summary>The capture file(s).</summary>
    public string Path { get; init; } = "";
    /// <summary>Packets read.</summary>
    public long Packets { get; init; }
    /// <summary>First to last packet.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>TCP connections (flows), mid-stream ones included.</summary>
    public int Connections { get; init; }
    /// <summary>Flows whose SYN was not captured.</summary>
    public int MidStreamConnections { get; init; }
    /// <summary>New connections (SYNs seen) per second of capture.</summary>
    public double ConnectionsPerSecond { get; init; }
    /// <summary>ClientHellos seen.</summary>
    public int TlsHandshakes { get; init; }
    /// <summary>ClientHellos per server name, most first.</summary>
    public SniCount[] TlsHandshakesBySni { get; init; } = Array.Empty<SniCount>();
    /// <summary>Median connection lifetime (closed connections).</summary>
    public TimeSpan LifetimeP50 { get; init; }
    /// <summary>95th percentile connection lifetime.</summary>
    public TimeSpan LifetimeP95 { get; init; }
    /// <summary>Longest connection lifetime.</summary>
    public TimeSpan LifetimeMax { get; init; }
    /// <summary>Connections where the client closed first, so the client holds TIME_WAIT.</summary>
    public int TimeWaitOnClient { get; init; }
    /// <summary>Connections where the server closed first.</summary>
    public int TimeWaitOnServer { get; init; }
    /// <summary>Connections ended by a RST.</summary>
    public int Resets { get; init; }
    /// <summary>Retransmitted segments.</summary>
    public long Retransmissions { get; init; }
    /// <summary>GOAWAY frames by error code (cleartext HTTP/2 only).</summary>
    public Http2ErrorCount[] GoAways { get; init; } = Array.Empty<Http2ErrorCount>();
    /// <summary>RST_STREAM frames by error code (cleartext HTTP/2 only).</summary>
    public Http2ErrorCount[] RstStreams { get; init; } = Array.Empty<Http2ErrorCount>();
    /// <summary>Requests seen (HTTP/2 client streams on cleartext flows); null when none was visible.</summary>
    public int? Requests { get; init; }
    /// <summary>Requests per connection, over the connections whose requests were visible; null otherwise.</summary>
    public double? ConnectionReuse { get; init; }
    /// <summary>Warnings while reading (a truncated file).</summary>
    public string[] Warnings { get; init; } = Array.Empty<string>();
}
