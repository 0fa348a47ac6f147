using System;
using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>What Test-GoProxyStability measured against one GOPROXY, and what it concluded.</summary>
public sealed class GoProxyStabilityResult
{
    /// <summary>The proxy URL tested.</summary>
    public string Proxy { get; init; } = "";
    /// <summary>Stable, Degraded or Unstable (from the most severe finding).</summary>
    public StabilityVerdict Verdict { get; internal set; }
    /// <summary>The rules that fired, most severe first.</summary>
    public GoProxyFinding[] Findings { get; internal set; } = Array.Empty<GoProxyFinding>();
    /// <summary>How long the load ran.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Parallel module fetches (cmd/go uses GOMAXPROCS).</summary>
    public int Concurrency { get; init; }
    /// <summary>The HTTP version asked for: "2" (Go's default) or "1.1" (GODEBUG=http2client=0).</summary>
    public string HttpVersion { get; init; } = "2";
    /// <summary>Protocols the connections negotiated, with counts ("h2=1", "http/1.1=412").</summary>
    public string NegotiatedProtocol { get; init; } = "";
    /// <summary>Local address outbound connections were bound to (-Adapter), or null.</summary>
    public string? LocalAddress { get; init; }
    /// <summary>Modules the load cycled through.</summary>
    public string[] Modules { get; init; } = Array.Empty<string>();
    /// <summary>Requests completed (success or failure).</summary>
    public int Requests { get; init; }
    /// <summary>Requests per second over the run.</summary>
    public double RequestsPerSecond { get; init; }
    /// <summary>Requests by kind (list, info, mod, zip).</summary>
    public OrderedDictionary RequestsByKind { get; init; } = new();
    /// <summary>Responses by HTTP status code.</summary>
    public OrderedDictionary StatusCodes { get; init; } = new();
    /// <summary>Response body bytes received.</summary>
    public long BytesReceived { get; init; }
    /// <summary>Requests that failed (transport error, stream reset, timeout, or a status other than 200/404/410).</summary>
    public int Failures { get; init; }
    /// <summary>Failures by type (StreamReset, ConnectionReset, Timeout, TlsHandshake, ConnectionRefused, HttpStatus, NotGoProxy…).</summary>
    public OrderedDictionary FailuresByType { get; init; } = new();
    /// <summary>Median request latency (send to last body byte).</summary>
    public TimeSpan LatencyP50 { get; init; }
    /// <summary>95th percentile request latency.</summary>
    public TimeSpan LatencyP95 { get; init; }
    /// <summary>99th percentile request latency.</summary>
    public TimeSpan LatencyP99 { get; init; }
    /// <summary>TCP connections opened.</summary>
    public int Connections { get; init; }
    /// <summary>Requests per connection (HTTP/2 keeps one busy connection; churn gives about 1).</summary>
    public double ReuseRatio { get; init; }
    /// <summary>Connections the server closed first (its FIN came before ours).</summary>
    public int ClosedByServer { get; init; }
    /// <summary>Connections the client closed first (these leave TIME_WAIT on the client).</summary>
    public int ClosedByClient { get; init; }
    /// <summary>Median connection lifetime of closed connections.</summary>
    public TimeSpan? ConnectionLifetimeP50 { get; init; }
    /// <summary>TLS handshakes completed.</summary>
    public int TlsHandshakes { get; init; }
    /// <summary>Median TLS handshake time (TCP connected to TLS done).</summary>
    public TimeSpan? TlsHandshakeP50 { get; init; }
    /// <summary>95th percentile TLS handshake time (Go gives up at 10 s).</summary>
    public TimeSpan? TlsHandshakeP95 { get; init; }
    /// <summary>HTTP/2 GOAWAY frames the server sent.</summary>
    public int GoAways { get; init; }
    /// <summary>GOAWAYs by error code, with their last stream ids ("NO_ERROR last=1999").</summary>
    public OrderedDictionary GoAwayDetails { get; init; } = new();
    /// <summary>HTTP/2 RST_STREAM frames the server sent.</summary>
    public int RstStreams { get; init; }
    /// <summary>RST_STREAMs by error code.</summary>
    public OrderedDictionary RstStreamCodes { get; init; } = new();
    /// <summary>TIME_WAIT sockets toward the proxy before the load started.</summary>
    public int TimeWaitStart { get; init; }
    /// <summary>Largest TIME_WAIT population toward the proxy during the run.</summary>
    public int TimeWaitPeak { get; init; }
    /// <summary>TIME_WAIT sockets toward the proxy at the end.</summary>
    public int TimeWaitEnd { get; init; }
    /// <summary>(end − start) ÷ minutes of the run.</summary>
    public double TimeWaitGrowthPerMinute { get; init; }
    /// <summary>The port budget toward the proxy at the end of the run.</summary>
    public TcpPortBudget? PortBudget { get; init; }
    /// <summary>New connections per second the run made.</summary>
    public double ConnectionsPerSecond { get; init; }
    /// <summary>At the run's connection rate, when the ports toward the proxy run out; null when the rate is sustainable.</summary>
    public TimeSpan? PortExhaustionEta { get; init; }
    /// <summary>Retransmitted ÷ sent segments on our own sockets (tcp_info, Linux); null where unknown.</summary>
    public double? RetransmitRate { get; init; }
    /// <summary>Segments our sockets sent (tcp_info), the base of RetransmitRate.</summary>
    public long SegmentsSent { get; init; }
    /// <summary>Segments our sockets retransmitted (tcp_info).</summary>
    public long RetransmittedSegments { get; init; }
    /// <summary>System-wide RetransSegs ÷ OrigDataSent over the run (Get-TcpStatistic deltas).</summary>
    public double? SystemRetransmitRate { get; init; }
    /// <summary>Where TIME_WAIT and counters were read (network namespace).</summary>
    public string Scope { get; init; } = "";
    /// <summary>With -PassThru: one record per TCP connection.</summary>
    public GoProxyConnection[]? ConnectionRecords { get; init; }
}
