using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>How one GOPROXY request ended, for the caller's next step.</summary>
internal enum FetchStatus
{
    /// <summary>200 with a usable body.</summary>
    Ok,
    /// <summary>404 or 410: the entry does not have it (cmd/go stops, or falls through to the next entry).</summary>
    NotFound,
    /// <summary>A transport error, a stream reset, a timeout, another status.</summary>
    Failed,
    /// <summary>Never sent: the budget is spent or the run ended first. Not judged.</summary>
    NotSent,
}

internal readonly record struct FetchOutcome(FetchStatus Status, string? Body, string? Failure);

/// <summary>
/// One request as cmd/go makes it, judged: admitted by the guest policy (budget, rate, Retry-After), tracked while
/// on the wire (stall detection), its body read to the end, and its result logged once. A request the server never
/// processed (NO_ERROR race with a GOAWAY, REFUSED_STREAM) is sent again as Go's transport does (at once, then with
/// backoff, at most 6 times) and counted as a retry with its cause; streams above a GOAWAY's LastStreamID the handler
/// already resends itself.
/// A request still waiting when the run is cut is judged against Go's limits: a TLS handshake past 10 s fails as
/// TlsHandshake, a response not started after the stall limit as Timeout; a younger one is left out.
/// </summary>
internal sealed class ProxyFetcher
{
    private readonly ConnectionRegistry _registry;
    private readonly RequestLog _log;
    private readonly GuestPolicy _policy;
    private readonly RequestTracker _tracker;

    public ProxyFetcher(ConnectionRegistry registry, RequestLog log, GuestPolicy policy, RequestTracker tracker)
    {
        _registry = registry;
        _log = log;
        _policy = policy;
        _tracker = tracker;
    }

    public RequestLog Log => _log;

    public GuestPolicy Policy => _policy;

    /// <summary>One request, judged and logged once; <c>finalEntry</c> is false when a 404/410 falls through to another GOPROXY entry (then it is not a failure).</summary>
    public async Task<FetchOutcome> GetAsync(GoTransport transport, Uri url, GoProxyRequestKind kind, bool keepBody, bool finalEntry, CancellationToken abort)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            return await GetWithRetryAsync(transport, url, kind, keepBody, finalEntry, buffer, abort).ConfigureAwait(false);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Go's http2 Transport.RoundTripOpt: a request the server never processed is sent again, at once the first time,
    /// then after 1, 2, 4, 8, 16 s (+ up to 10 % jitter), at most 6 retries; each is counted with its cause.
    /// </summary>
    public const int MaxRetries = 6;

    private async Task<FetchOutcome> GetWithRetryAsync(GoTransport transport, Uri url, GoProxyRequestKind kind, bool keepBody, bool finalEntry, byte[] buffer, CancellationToken abort)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds((1 << (attempt - 2)) * (1 + 0.1 * Random.Shared.NextDouble())), abort).ConfigureAwait(false);
                }
                if (!await _policy.AdmitRequestAsync(abort).ConfigureAwait(false))
                {
                    return new FetchOutcome(FetchStatus.NotSent, null, null);
                }
            }
            catch (OperationCanceledException)
            {
                return new FetchOutcome(FetchStatus.NotSent, null, null);
            }
            var (outcome, retry) = await SendOnceAsync(transport, url, kind, keepBody, finalEntry, attempt < MaxRetries, buffer, abort).ConfigureAwait(false);
            if (retry is null)
            {
                return outcome;
            }
            _log.Retry(retry);
        }
    }

    private async Task<(FetchOutcome Outcome, string? Retry)> SendOnceAsync(GoTransport transport, Uri url, GoProxyRequestKind kind, bool keepBody,
        bool finalEntry, bool mayRetry, byte[] buffer, CancellationToken abort)
    {
        var started = Stopwatch.GetTimestamp();
        HttpMessageInvoker invoker;
        bool pooled;
        try
        {
            (invoker, pooled) = transport.Acquire();
        }
        catch (ObjectDisposedException)
        {
            return (new FetchOutcome(FetchStatus.NotSent, null, null), null);
        }
        var attribution = new RequestAttribution();
        TrackedConnection.CurrentRequest.Value = attribution;
        long id = _tracker.Begin();
        bool reusable = true;
        bool answered = false;
        try
        {
            using var request = transport.NewRequest(url);
            using var response = await invoker.SendAsync(request, abort).ConfigureAwait(false);
            answered = true;
            _tracker.Progress();
            if (attribution.Connection is { } h1)
            {
                lock (h1.Record)
                {
                    h1.Record.Responses++;
                }
            }
            int status = (int)response.StatusCode;
            long bytes = 0;
            var text = keepBody ? new MemoryStream() : null;
            using (var body = await response.Content.ReadAsStreamAsync(abort).ConfigureAwait(false))
            {
                int n;
                while ((n = await body.ReadAsync(buffer, abort).ConfigureAwait(false)) > 0)
                {
                    _tracker.Progress();
                    bytes += n;
                    if (text is not null && text.Length < 1 << 20)
                    {
                        text.Write(buffer, 0, n);
                    }
                }
            }
            if (status is 429 or 503)
            {
                _policy.ServerBusy(RetryAfter(response));
            }
            else
            {
                _policy.ServerAnswered();
            }
            reusable = response.Headers.ConnectionClose != true;
            var bodyText = text is null ? null : Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
            var failure = Judge(kind, status, response.Content.Headers.ContentType?.MediaType, bodyText, finalEntry);
            _log.Add(new RequestRecord(kind, status, bytes, Stopwatch.GetElapsedTime(started), failure));
            var fetch = status is 404 or 410 ? FetchStatus.NotFound : failure is null ? FetchStatus.Ok : FetchStatus.Failed;
            return (new FetchOutcome(fetch, bodyText, failure), null);
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            reusable = false;
            return (JudgeCut(kind, id, started), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            reusable = false;
            if (mayRetry && FailureClassifier.RetryCause(e) is { } cause)
            {
                return (default, cause);
            }
            var failure = FailureClassifier.Classify(e, _registry.ClaimReset);
            if (failure is FailureClassifier.ConnectionReset or FailureClassifier.ConnectionClosed && _registry.HandshakeJustFailed)
            {
                // Reset or closed by the proxy during the TLS handshake: a TLS failure, as go reports it.
                failure = FailureClassifier.TlsHandshake;
            }
            else if (mayRetry && !answered && failure is FailureClassifier.ConnectionClosed or FailureClassifier.ConnectionReset && _registry.AnyEstablished)
            {
                // The proxy closed a connection it had been answering on before this GET got a byte back: Go's transport
                // sends such a request again (errServerClosedIdle, a GOAWAY'd connection); a dead proxy fails the retry's connect.
                return (default, FailureClassifier.ClosedBeforeResponse);
            }
            if (failure == FailureClassifier.TlsHandshake)
            {
                NoteTls(e);
            }
            _log.Add(new RequestRecord(kind, 0, 0, Stopwatch.GetElapsedTime(started), failure));
            return (new FetchOutcome(FetchStatus.Failed, null, failure), null);
        }
        finally
        {
            _tracker.End(id);
            TrackedConnection.CurrentRequest.Value = null;
            if (pooled)
            {
                transport.Release(invoker, reusable);
            }
        }
    }

    /// <summary>The run was cut while this request waited: judged against Go's limits, or left out when too young to judge.</summary>
    private FetchOutcome JudgeCut(GoProxyRequestKind kind, long id, long started)
    {
        var waited = Stopwatch.GetElapsedTime(started);
        if (waited < RequestTracker.StallAfter)
        {
            return new FetchOutcome(FetchStatus.NotSent, null, null);
        }
        string failure;
        if (_registry.RecentTlsFailure() is { Cause: TlsFailureCause.HandshakeTimeout } timeout && !_registry.AnyEstablished)
        {
            failure = FailureClassifier.TlsHandshake;
            _log.TlsCause(timeout.Cause);
        }
        else
        {
            failure = FailureClassifier.Timeout;
        }
        _log.Add(new RequestRecord(kind, 0, 0, waited, failure));
        return new FetchOutcome(FetchStatus.Failed, null, failure);
    }

    /// <summary>The cause the connection recorded (certificate, timeout), unless the exception names a better one than "closed".</summary>
    private void NoteTls(Exception e)
    {
        var recent = _registry.RecentTlsFailure();
        var fromException = TlsFailureCause.FromException(e);
        var cause = recent is null || (recent.Cause == TlsFailureCause.ClosedDuringHandshake
            && fromException.Cause is not (TlsFailureCause.ClosedDuringHandshake or TlsFailureCause.Other))
            ? fromException
            : recent;
        if (!ReferenceEquals(cause, recent))
        {
            _registry.NoteTlsFailure(cause);
        }
        _log.TlsCause(cause.Cause);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// 200 is success (a list must hold versions and not be an HTML page); 404/410 is NotFound when no GOPROXY entry
    /// follows (otherwise not a failure: the next entry is asked); other statuses fail.
    /// </summary>
    private static string? Judge(GoProxyRequestKind kind, int status, string? mediaType, string? body, bool finalEntry)
    {
        if (status == 200)
        {
            if (mediaType is "text/html")
            {
                return FailureClassifier.NotGoProxy;
            }
            if (kind == GoProxyRequestKind.List && !string.IsNullOrWhiteSpace(body) && ReplayModule.LatestFromList(body) is null)
            {
                return FailureClassifier.NotGoProxy;
            }
            return null;
        }
        if (status is 404 or 410)
        {
            return finalEntry ? FailureClassifier.NotFound : null;
        }
        return FailureClassifier.HttpStatus;
    }
}
