using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>How a test wants its nginx: TLS, HTTP/2, connection budgets, rate limit, debug log, where it listens.</summary>
public sealed record NginxOptions
{
    /// <summary>TLS with <see cref="Certificates"/>; false: cleartext (with <see cref="Http2"/>, h2c by prior knowledge, which tshark decodes).</summary>
    public bool Tls { get; init; } = true;

    /// <summary>`listen … http2` (nginx 1.22's switch); false: HTTP/1.1 only.</summary>
    public bool Http2 { get; init; } = true;

    /// <summary>keepalive_requests: requests per connection before nginx ends it (HTTP/2: GOAWAY). Null: nginx's 1000.</summary>
    public int? KeepaliveRequests { get; init; }

    /// <summary>keepalive_timeout; TimeSpan.Zero closes HTTP/1.1 connections after every response. Null: nginx's 75 s.</summary>
    public TimeSpan? KeepaliveTimeout { get; init; }

    /// <summary>limit_req rate (requests/s per client address); requests above rate + burst get 503. Null: no limit.</summary>
    public int? LimitRequestsPerSecond { get; init; }

    /// <summary>limit_req burst (nodelay): requests let through above the rate before 503s start.</summary>
    public int LimitBurst { get; init; }

    /// <summary>http2_max_concurrent_streams: streams above it get RST_STREAM REFUSED_STREAM. Null: nginx's 128.</summary>
    public int? MaxConcurrentStreams { get; init; }

    /// <summary>limit_rate: bytes per second per response, so downloads take time and overlap (null: no limit).</summary>
    public int? LimitRateBytesPerSecond { get; init; }

    /// <summary>error_log at debug: the frame lines <see cref="NginxDebugLog"/> counts. Off: notice level.</summary>
    public bool DebugLog { get; init; }

    /// <summary>The listen address (inside <see cref="Namespace"/> when given).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>0: a free port on loopback (host namespace), or 443/80 inside a namespace.</summary>
    public int Port { get; init; }

    /// <summary>Run nginx inside this network namespace (`ip netns exec`).</summary>
    public NetNamespace? Namespace { get; init; }

    public int WorkerProcesses { get; init; } = 1;

    /// <summary>Null: <see cref="PeerCertificates.Shared"/>.</summary>
    public PeerCertificates? Certificates { get; init; }

    /// <summary>The nginx.conf for a peer whose files live in <paramref name="dir"/>, serving <paramref name="docroot"/>.</summary>
    internal string Config(string dir, string docroot, int port, PeerCertificates certificates)
    {
        var c = new StringBuilder();
        // Workers run as root: the docroot sits in a 0700 temp directory only root may enter.
        c.AppendLine("user root;");
        c.AppendLine(Invariant($"worker_processes {WorkerProcesses};"));
        c.AppendLine($"pid {Path.Combine(dir, "nginx.pid")};");
        c.AppendLine($"error_log {Path.Combine(dir, "error.log")} {(DebugLog ? "debug" : "notice")};");
        c.AppendLine("events { worker_connections 4096; }");
        c.AppendLine("http {");
        // Debian's nginx was built with temp paths under /var/lib/nginx: keep every one in the private dir.
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            c.AppendLine($"  {temp}_temp_path {Path.Combine(dir, "tmp", temp)};");
        }
        c.AppendLine($"  log_format peer '{NginxAccessLog.Format}';");
        c.AppendLine($"  access_log {Path.Combine(dir, "access.log")} peer;");
        c.AppendLine("  types { application/json info; text/plain mod; application/zip zip; }");
        c.AppendLine("  default_type text/plain;");
        if (KeepaliveRequests is int requests)
        {
            c.AppendLine(Invariant($"  keepalive_requests {requests};"));
        }
        if (KeepaliveTimeout is TimeSpan timeout)
        {
            c.AppendLine(Invariant($"  keepalive_timeout {(long)timeout.TotalMilliseconds}ms;"));
        }
        if (LimitRateBytesPerSecond is int bytesPerSecond)
        {
            c.AppendLine(Invariant($"  limit_rate {bytesPerSecond};"));
        }
        if (MaxConcurrentStreams is int streams)
        {
            c.AppendLine(Invariant($"  http2_max_concurrent_streams {streams};"));
        }
        if (LimitRequestsPerSecond is int rate)
        {
            c.AppendLine(Invariant($"  limit_req_zone $binary_remote_addr zone=peer:1m rate={rate}r/s;"));
            c.AppendLine("  limit_req_status 503;");
        }
        c.AppendLine("  server {");
        var listen = Address.Contains(':') ? $"[{Address}]" : Address;
        c.AppendLine(Invariant($"    listen {listen}:{port}{(Tls ? " ssl" : "")}{(Http2 ? " http2" : "")};"));
        if (Tls)
        {
            c.AppendLine($"    ssl_certificate {certificates.CertificatePath};");
            c.AppendLine($"    ssl_certificate_key {certificates.KeyPath};");
        }
        c.AppendLine($"    root {docroot};");
        if (LimitRequestsPerSecond is not null)
        {
            c.AppendLine(Invariant($"    location / {{ limit_req zone=peer burst={LimitBurst} nodelay; }}"));
        }
        c.AppendLine("  }");
        c.AppendLine("}");
        return c.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
