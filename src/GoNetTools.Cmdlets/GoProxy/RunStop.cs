using System;
using System.Linq;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// When a run ends, decided on every tick: at -Duration (stop issuing; in-flight requests get the grace, then are
/// cut and judged); at the request budget or a Retry-After beyond 60 s (stop issuing); early once the verdict is
/// certain — the proxy stalled (requests waited 10 s with no sign of life), or stopped accepting connections
/// (<see cref="StabilityEngine.DeadAfterConnectFailures"/> failed attempts in a row, each after its backoff) — or
/// fatally when the proxy cannot be used at all: no connection (ProxyUnreachable), a TLS handshake that fails for a
/// reason that will not change (ProxyTlsFailed, after 3 attempts), or answers that are not a GOPROXY (NotGoProxy).
/// </summary>
internal sealed class RunStop
{
    /// <summary>TLS failures (other than timeouts) before any response that make the proxy unusable.</summary>
    public const int TlsFailuresFatal = 3;
    /// <summary>Failed connection attempts before any connection that make the proxy unreachable.</summary>
    public const int ConnectFailuresFatal = 4;

    private readonly StabilityOptions _o;
    private readonly GuestPolicy _policy;
    private readonly ConnectionRegistry _registry;
    private readonly RequestTracker _tracker;
    private readonly RequestLog _log;
    private bool _abortNow;

    public RunStop(StabilityOptions options, GuestPolicy policy, ConnectionRegistry registry, RequestTracker tracker, RequestLog log)
    {
        _o = options;
        _policy = policy;
        _registry = registry;
        _tracker = tracker;
        _log = log;
    }

    /// <summary>Why the run ended before -Duration/-Rounds, once it did.</summary>
    public string? Reason { get; private set; }

    /// <summary>Set when the proxy cannot be used at all: the cmdlet reports this error instead of a result.</summary>
    public GoNetToolsException? Fatal { get; private set; }

    /// <summary>(stop issuing new requests, cut the in-flight ones now).</summary>
    public (bool Issue, bool Abort) Check(TimeSpan elapsed, TimeSpan? issueEnded)
    {
        if (Reason is null)
        {
            Decide();
        }
        bool issue = Reason is not null || elapsed >= _o.Duration;
        bool abort = _abortNow || (issueEnded is { } t && elapsed - t >= StabilityEngine.Grace);
        return (issue, abort);
    }

    private void Decide()
    {
        if (FatalCause() is { } fatal)
        {
            Fatal = fatal;
            Reason = fatal.Message;
            _abortNow = true;
        }
        else if (_tracker.HandshakeStalled || (!_registry.HandshakeWithinLimit && _tracker.CheckStall(_registry.AnyOpen)))
        {
            Reason = $"the proxy stopped answering: requests waited {RequestTracker.StallAfter.TotalSeconds:0} s with no response on a connection it had accepted";
            _abortNow = true;
        }
        else if (_policy.ConnectFailuresInARow >= StabilityEngine.DeadAfterConnectFailures)
        {
            Reason = $"the proxy stopped accepting connections: {_policy.ConnectFailuresInARow} connection attempts failed in a row (with backoff between them)";
            _abortNow = true;
        }
        else if (_policy.BudgetSpent)
        {
            Reason = $"the request budget of {_policy.MaxRequests} requests is spent (-MaxRequests)";
        }
        else if (_policy.RetryAfterTooLong is { } wait)
        {
            Reason = $"the proxy asked us to wait {wait.TotalSeconds:0} s (Retry-After), longer than {GuestPolicy.MaxRetryAfter.TotalSeconds:0} s";
            _abortNow = true;
        }
    }

    private GoNetToolsException? FatalCause()
    {
        var proxy = _o.Proxy.FirstUrl!;
        if (_log.Responses > 0)
        {
            return _log.Successes == 0 && _log.Responses >= Math.Min(4, Math.Max(1, _o.Modules.Length))
                && _log.FailureCounts().Keys.All(f => f is FailureClassifier.NotGoProxy or FailureClassifier.NotFound)
                ? new GoNetToolsException(ErrorIds.NotGoProxy, FailureKind.InvalidData,
                    $"{proxy} answers, but not as a GOPROXY: {_log.Responses} requests got HTML, a list without versions, or 404/410 for every module.",
                    "Check the URL (a GOPROXY serves <module>/@v/list), and that the modules (-Module, -GoMod) exist there.")
                : null;
        }
        var tls = _log.TlsCauseCounts();
        int definite = tls.Where(kv => kv.Key != TlsFailureCause.HandshakeTimeout).Sum(kv => kv.Value);
        if (definite >= TlsFailuresFatal)
        {
            var cause = _registry.RecentTlsFailure() is { Cause: not TlsFailureCause.HandshakeTimeout } recent
                ? recent
                : new TlsFailure(tls.Where(kv => kv.Key != TlsFailureCause.HandshakeTimeout).OrderByDescending(kv => kv.Value).First().Key, "");
            return new GoNetToolsException(ErrorIds.ProxyTlsFailed, FailureKind.ConnectionError,
                $"The TLS handshake with {proxy} failed on all {definite} attempts: {cause.Cause}{(cause.Detail.Length > 0 ? " — " + cause.Detail : "")}.",
                cause.Cause switch
                {
                    TlsFailureCause.UntrustedRoot => "Trust the proxy's CA (SSL_CERT_FILE, as the go tool reads it, or the system store), or use -SkipCertificateCheck to test anyway.",
                    TlsFailureCause.NameMismatch => "Use the host name the certificate is for in -Proxy, or fix the proxy's certificate.",
                    TlsFailureCause.Expired or TlsFailureCause.NotYetValid => "Renew the proxy's certificate (or fix this machine's clock).",
                    TlsFailureCause.NoSharedProtocol or TlsFailureCause.NoSharedCipher => "Enable TLS 1.2/1.3 and modern cipher suites on the proxy: Go 1.19 offers nothing older.",
                    TlsFailureCause.NotTls => "Use http:// for a cleartext proxy, or the proxy's TLS port.",
                    _ => "Check the proxy's TLS configuration; -SkipCertificateCheck tests it anyway.",
                });
        }
        if (!_registry.AnyEstablished && _policy.ConnectFailuresInARow >= ConnectFailuresFatal && tls.Count == 0)
        {
            var failures = _log.FailureCounts();
            var cause = failures.Count == 0 ? "no connection" : failures.OrderByDescending(kv => kv.Value).First().Key;
            return new GoNetToolsException(ErrorIds.ProxyUnreachable, FailureKind.ConnectionError,
                $"No connection to {proxy} could be made: {cause} on all {_policy.ConnectFailuresInARow} attempts (with backoff between them).",
                "Check the URL and port, that the proxy runs, and the firewall; with -Adapter, that the adapter reaches it.");
        }
        return null;
    }
}
