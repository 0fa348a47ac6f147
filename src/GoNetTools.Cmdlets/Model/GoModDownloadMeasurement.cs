using System;

namespace GoNetTools;

/// <summary>
/// What one `go mod download -x` through a GOPROXY cost on the wire: TLS handshakes, TCP connections, requests
/// and how many each connection carried, connection lifetimes, which side held TIME_WAIT, HTTP/2 GOAWAY and
/// RST_STREAM (cleartext only), and go's own result. Made by Measure-GoModDownload.
/// </summary>
public sealed class GoModDownloadMeasurement
{
    /// <summary>The GOPROXY used.</summary>
    public string Proxy { get; init; } = "";
    /// <summary>The GOSUMDB in force ("off" when the checksum database was not used).</summary>
    public string SumDb { get; init; } = "";
    /// <summary>The modules asked for (path@version), or the go.mod file measured.</summary>
    public string[] Modules { get; init; } = Array.Empty<string>();
    /// <summary>True when go exited with 0.</summary>
    public bool Succeeded { get; init; }
    /// <summary>go's exit code (-1 when it was stopped).</summary>
    public int ExitCode { get; init; }
    /// <summary>The last lines go wrote to stderr other than the -x trace (its error messages).</summary>
    public string[] ErrorTail { get; init; } = Array.Empty<string>();
    /// <summary>Wall time of the go command.</summary>
    public TimeSpan TotalTime { get; init; }
    /// <summary>HTTP requests go made ("# get URL" lines of the -x log).</summary>
    public int Requests { get; init; }
    /// <summary>Requests answered with a 2xx status.</summary>
    public int RequestsOk { get; init; }
    /// <summary>Requests answered with another status or an error.</summary>
    public int RequestsFailed { get; init; }
    /// <summary>Requests per host (proxy, checksum database).</summary>
    public SniCount[] RequestsByHost { get; init; } = Array.Empty<SniCount>();
    /// <summary>TCP connections captured to the proxy (and checksum database).</summary>
    public int Connections { get; init; }
    /// <summary>Requests per TCP connection (Requests / Connections); null when no connection was seen.</summary>
    public double? RequestsPerConnection { get; init; }
    /// <summary>TLS ClientHellos captured.</summary>
    public int TlsHandshakes { get; init; }
    /// <summary>ClientHellos per server name ("(none)": Go sends no SNI to an IP address).</summary>
    public SniCount[] TlsHandshakesBySni { get; init; } = Array.Empty<SniCount>();
    /// <summary>Protocols seen: ALPN where TLS shows it (TLS 1.2), "h2c"/"http/1.1" for cleartext, "tls (ALPN hidden)" for TLS 1.3.</summary>
    public string[] Protocols { get; init; } = Array.Empty<string>();
    /// <summary>Median connection lifetime.</summary>
    public TimeSpan LifetimeP50 { get; init; }
    /// <summary>95th percentile connection lifetime.</summary>
    public TimeSpan LifetimeP95 { get; init; }
    /// <summary>Longest connection lifetime.</summary>
    public TimeSpan LifetimeMax { get; init; }
    /// <summary>Connections the client (go) closed first: TIME_WAIT on this machine.</summary>
    public int TimeWaitOnClient { get; init; }
    /// <summary>Connections the proxy closed first: TIME_WAIT on the proxy.</summary>
    public int TimeWaitOnServer { get; init; }
    /// <summary>Connections ended by a RST.</summary>
    public int Resets { get; init; }
    /// <summary>GOAWAY frames by error code (visible on cleartext HTTP/2 only).</summary>
    public Http2ErrorCount[] GoAways { get; init; } = Array.Empty<Http2ErrorCount>();
    /// <summary>RST_STREAM frames by error code (visible on cleartext HTTP/2 only).</summary>
    public Http2ErrorCount[] RstStreams { get; init; } = Array.Empty<Http2ErrorCount>();
    /// <summary>The adapter captured on.</summary>
    public string Adapter { get; init; } = "";
    /// <summary>The BPF filter used.</summary>
    public string Filter { get; init; } = "";
    /// <summary>Packets captured.</summary>
    public long Packets { get; init; }
    /// <summary>Packets the capture dropped (a non-zero value makes the counts a lower bound).</summary>
    public long PacketsDropped { get; init; }
    /// <summary>The kept capture file (-KeepCapture); null when it was deleted.</summary>
    public string? CapturePath { get; init; }
    /// <summary>The lab's own counts for the run (-Lab or a lab piped in); null for another proxy.</summary>
    public GoProxyLabStatistics? LabStatistics { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Requests} requests over {Connections} connections, {TlsHandshakes} TLS handshakes in {TotalTime.TotalSeconds:0.00}s");
}
