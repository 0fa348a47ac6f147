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
    /// <summary>"Replay" (cold `go mod download` rounds, the default) or "Stress" (-Stress: parallel fetches back to back on one warm client).</summary>
    public string Mode { get; init; } = "Replay";
    /// <summary>How long the run lasted.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Why the run ended before -Duration/-Rounds (the request budget, a dead or stalled proxy…), or null.</summary>
    public string? StoppedEarly { get; init; }
    /// <summary>Rounds completed (each one cold `go mod download` of the module set).</summary>
    public int Rounds { get; init; }
    /// <summary>Requests one round sent (cmd/go's own count for the module set; retries not included).</summary>
    public double RequestsPerRound { get; init; }
    /// <summary>Median time of a round (a cold download of the module set).</summary>
    public TimeSpan? RoundDurationP50 { get; init; }
    /// <summary>True when the proxy resolved to an address of this host (loopback or a local interface): no guest limits by default.</summary>
    public bool ProxyIsLocal { get; init; }
    /// <summary>The request budget in force (null: none, for a proxy on this host or -Stress).</summary>
    public int? MaxRequests { get; init; }
    /// <summary>The request rate cap in force, requests per second (null: none).</summary>
    public double? MaxRequestRate { get; init; }
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
    /// <summary>Requests judged (cmd/go's requests, success or failure; a retry of the same request is not counted again).</summary>
    public int Requests { get; init; }
    /// <summary>Requests that got an HTTP response (any status).</summary>
    public int Responses { get; init; }
    /// <summary>Requests sent again, as Go's transport does, with the cause (GoAwayUnprocessed, GoAwayNoError, RefusedStream).</summary>
    public int Retries { get; init; }
    /// <summary>Retries by cause.</summary>
    public OrderedDictionary RetriesByCause { get; init; } = new();
    /// <summary>Module versions that answered 404/410 on every GOPROXY entry tried (each counts once per round).</summary>
    public string[] ModulesNotFound { get; init; } = Array.Empty<string>();
    /// <summary>Requests answered 404/410 (or, after '|', any error) that went on to the next GOPROXY entry.</summary>
    public int FellThrough { get; init; }
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
    /// <summary>Responses ÷ connections that carried at least one (HTTP/2 keeps one busy connection; churn gives about 1).</summary>
    public double ReuseRatio { get; init; }
    /// <summary>Connections the server closed first (its FIN came before ours).</summary>
    public int ClosedByServer { get; init; }
    /// <summary>Connections the client closed first (these leave TIME_WAIT on the client; a round's end closes them as go's exit does).</summary>
    public int ClosedByClient { get; init; }
    /// <summary>Connections ended by a reset or an error before any FIN (a dead server, a failed handshake).</summary>
    public int ClosedAborted { get; init; }
    /// <summary>Median connection lifetime of closed connections.</summary>
    public TimeSpan? ConnectionLifetimeP50 { get; init; }
    /// <summary>TLS handshakes completed.</summary>
    public int TlsHandshakes { get; init; }
    /// <summary>Median TLS handshake time (TCP connected to TLS done).</summary>
    public TimeSpan? TlsHandshakeP50 { get; init; }
    /// <summary>95th percentile TLS handshake time (Go gives up at 10 s).</summary>
    public TimeSpan? TlsHandshakeP95 { get; init; }
    /// <summary>Why TLS handshakes failed, by cause (UntrustedRoot, NameMismatch, Expired, NoSharedProtocol, HandshakeTimeout…).</summary>
    public OrderedDictionary TlsFailureCauses { get; init; } = new();
    /// <summary>HTTP/2 GOAWAY frames the server sent.</summary>
    public int GoAways { get; init; }
    /// <summary>One entry per connection that got a GOAWAY: what it meant and that connection's figures.</summary>
    public GoProxyGoAway[] GoAwayEvents { get; init; } = Array.Empty<GoProxyGoAway>();
    /// <summary>GOAWAYs by error code, with their last stream ids ("NO_ERROR last=1999").</summary>
    public OrderedDictionary GoAwayDetails { get; init; } = new();
    /// <summary>HTTP/2 RST_STREAM frames the server sent.</summary>
    public int RstStreams { get; init; }
    /// <summary>RST_STREAMs by error code.</summary>
    public OrderedDictionary RstStreamCodes { get; init; } = new();
    /// <summary>The longest time requests waited with no response from the proxy (null when it never stalled 10 s).</summary>
    public TimeSpan? LongestStall { get; init; }
    /// <summary>Requests still waiting when the longest stall was judged.</summary>
    public int StalledRequests { get; init; }
    /// <summary>Connection attempts that failed in a row at the end of the run (refused, unreachable, reset, TLS).</summary>
    public int ConnectFailuresAtEnd { get; init; }
    /// <summary>TIME_WAIT sockets of our own connections (our local end) at the start: 0, the run has not connected yet.</summary>
    public int TimeWaitStart { get; init; }
    /// <summary>Largest TIME_WAIT population of our own connections during the run.</summary>
    public int TimeWaitPeak { get; init; }
    /// <summary>TIME_WAIT sockets of our own connections at the end.</summary>
    public int TimeWaitEnd { get; init; }
    /// <summary>A proxy on this host: its TIME_WAIT sockets of our connections at the peak (evidence, not charged to our ports).</summary>
    public int ServerTimeWaitPeak { get; init; }
    /// <summary>A proxy on this host: its TIME_WAIT sockets of our connections at the end.</summary>
    public int ServerTimeWaitEnd { get; init; }
    /// <summary>Connections that used a local port an earlier connection of this run had used toward the proxy (TIME_WAIT reuse).</summary>
    public int PortsReused { get; init; }
    /// <summary>Whether connect() may reuse a TIME_WAIT port toward this proxy (Linux tcp_tw_reuse and tcp_timestamps).</summary>
    public string TimeWaitReuse { get; init; } = "";
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
