using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// cmd/go's load: Concurrency workers (GOMAXPROCS in cmd/go), each taking the next module and fetching
/// $module/@v/list → $version.info → .mod → .zip, in that order, until the run ends. Bodies are read to the end.
/// A request still running when the run ends is dropped, not counted as a failure.
/// </summary>
internal sealed class LoadRunner
{
    private readonly Uri _proxy;
    private readonly GoModule[] _modules;
    private readonly GoTransport _transport;
    private readonly RequestLog _log;
    private int _next = -1;

    public LoadRunner(Uri proxy, GoModule[] modules, GoTransport transport, RequestLog log)
    {
        _proxy = proxy;
        _modules = modules;
        _transport = transport;
        _log = log;
    }

    public Task RunAsync(int concurrency, CancellationToken stop)
    {
        var workers = new Task[concurrency];
        for (int i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                try
                {
                    await WorkerAsync(stop).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (stop.IsCancellationRequested)
                {
                    // The transport closed after the run ended.
                }
            }, CancellationToken.None);
        }
        return Task.WhenAll(workers);
    }

    private async Task WorkerAsync(CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        while (!stop.IsCancellationRequested)
        {
            var module = _modules[(int)((uint)Interlocked.Increment(ref _next) % (uint)_modules.Length)];
            var basePath = $"{_proxy.AbsoluteUri.TrimEnd('/')}/{GoModule.Escape(module.Path)}/@v/";
            var (ok, body) = await FetchAsync(GoProxyRequestKind.List, basePath + "list", buffer, keepBody: true, stop).ConfigureAwait(false);
            var version = module.Version ?? (ok ? LatestFromList(body) : null);
            if (version is null)
            {
                continue;
            }
            var escaped = GoModule.Escape(version);
            foreach (var (kind, suffix) in new[] { (GoProxyRequestKind.Info, ".info"), (GoProxyRequestKind.Mod, ".mod"), (GoProxyRequestKind.Zip, ".zip") })
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                await FetchAsync(kind, basePath + escaped + suffix, buffer, keepBody: false, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The highest semantic version in a list body; null when no line is a version.</summary>
    public static string? LatestFromList(string? body)
    {
        if (body is null)
        {
            return null;
        }
        string? best = null;
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (GoModule.IsVersion(line) && (best is null || SemVerCompare(line, best) > 0))
            {
                best = line;
            }
        }
        return best;
    }

    private static int SemVerCompare(string a, string b)
    {
        static (int, int, int, string) Parts(string v)
        {
            var core = v[1..];
            int dash = core.IndexOfAny(new[] { '-', '+' });
            var pre = dash < 0 ? "" : core[dash..];
            var nums = (dash < 0 ? core : core[..dash]).Split('.');
            return (int.Parse(nums[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(nums[1], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(nums[2], System.Globalization.CultureInfo.InvariantCulture), pre);
        }
        var (a1, a2, a3, ap) = Parts(a);
        var (b1, b2, b3, bp) = Parts(b);
        int c = a1 != b1 ? a1.CompareTo(b1) : a2 != b2 ? a2.CompareTo(b2) : a3.CompareTo(b3);
        if (c != 0)
        {
            return c;
        }
        // A release sorts above its pre-releases.
        return ap.Length == 0 ? (bp.Length == 0 ? 0 : 1) : bp.Length == 0 ? -1 : string.CompareOrdinal(ap, bp);
    }

    private async Task<(bool Ok, string? Body)> FetchAsync(GoProxyRequestKind kind, string url, byte[] buffer, bool keepBody, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var (invoker, pooled) = _transport.Acquire();
        var attribution = new RequestAttribution();
        TrackedConnection.CurrentRequest.Value = attribution;
        bool reusable = true;
        try
        {
            using var request = _transport.NewRequest(new Uri(url));
            using var response = await invoker.SendAsync(request, stop).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            long bytes = 0;
            var text = keepBody ? new MemoryStream() : null;
            using (var body = await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false))
            {
                int n;
                while ((n = await body.ReadAsync(buffer, stop).ConfigureAwait(false)) > 0)
                {
                    bytes += n;
                    if (text is not null && text.Length < 1 << 20)
                    {
                        text.Write(buffer, 0, n);
                    }
                }
            }
            var failure = Judge(kind, status, response.Content.Headers.ContentType?.MediaType, text);
            _log.Add(new RequestRecord(kind, status, bytes, Stopwatch.GetElapsedTime(started), failure));
            reusable = response.Headers.ConnectionClose != true;
            return (failure is null, text is null ? null : Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length));
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            reusable = false;
            return (false, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            reusable = false;
            _log.Add(new RequestRecord(kind, 0, 0, Stopwatch.GetElapsedTime(started), FailureClassifier.Classify(e)));
            return (false, null);
        }
        finally
        {
            TrackedConnection.CurrentRequest.Value = null;
            if (pooled)
            {
                _transport.Release(invoker, reusable);
            }
        }
    }

    /// <summary>200 is success (a list must hold versions and not be an HTML page); 404/410 is NotFound; other statuses fail.</summary>
    private static string? Judge(GoProxyRequestKind kind, int status, string? mediaType, MemoryStream? body)
    {
        if (status == 200)
        {
            if (mediaType is "text/html")
            {
                return FailureClassifier.NotGoProxy;
            }
            if (kind == GoProxyRequestKind.List && body is not null && body.Length > 0
                && LatestFromList(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length)) is null)
            {
                return FailureClassifier.NotGoProxy;
            }
            return null;
        }
        return status is 404 or 410 ? FailureClassifier.NotFound : FailureClassifier.HttpStatus;
    }
}
