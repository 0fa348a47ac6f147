using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Lab.Catalog;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.Lab.Server;

/// <summary>One parsed GOPROXY request path (the module and version are unescaped).</summary>
internal readonly record struct GoProxyRequest(string Kind, string Module = "", string Version = "", string Problem = "")
{
    /// <summary>
    /// "/&lt;module&gt;/@v/list", "/&lt;module&gt;/@v/&lt;version&gt;.{info,mod,zip}", "/&lt;module&gt;/@latest";
    /// module and version are '!'-case-encoded. Anything else is kind "other".
    /// </summary>
    public static GoProxyRequest Parse(string path)
    {
        var p = path.TrimStart('/');
        string escapedModule;
        string kind;
        var escapedVersion = "";
        if (p.EndsWith("/@latest", StringComparison.Ordinal))
        {
            escapedModule = p[..^"/@latest".Length];
            kind = "latest";
        }
        else
        {
            var at = p.LastIndexOf("/@v/", StringComparison.Ordinal);
            if (at <= 0)
            {
                return new GoProxyRequest("other", Problem: "not a GOPROXY path");
            }
            escapedModule = p[..at];
            var file = p[(at + 4)..];
            var dot = file.LastIndexOf('.');
            if (file == "list")
            {
                kind = "list";
            }
            else if (dot > 0 && file[(dot + 1)..] is "info" or "mod" or "zip")
            {
                kind = file[(dot + 1)..];
                escapedVersion = file[..dot];
            }
            else
            {
                return new GoProxyRequest("other", Problem: $"unknown file '{file}'");
            }
        }
        if (!ModuleEscaping.TryUnescape(escapedModule, out var module))
        {
            return new GoProxyRequest("other", Problem: $"invalid escaped module path '{escapedModule}'");
        }
        var version = "";
        if (escapedVersion.Length > 0 && !ModuleEscaping.TryUnescape(escapedVersion, out version))
        {
            return new GoProxyRequest("other", Problem: $"invalid escaped version '{escapedVersion}'");
        }
        return new GoProxyRequest(kind, module, version);
    }
}

/// <summary>Serves the GOPROXY protocol from a catalog, injecting the configured faults per request.</summary>
internal sealed class GoProxyHandler(IModuleCatalog catalog, LabOptions options, LabCounters counters, ConnectionTaps connections)
{
    private const int Http2InternalError = 2;
    private long _resetTicket;
    private long _throttleTicket;
    private long _arrivals;
    private long _retryAfterUntil;

    public async Task HandleAsync(HttpContext context)
    {
        var request = GoProxyRequest.Parse(context.Request.Path.Value ?? "/");
        var http2 = context.Request.Protocol == "HTTP/2";
        counters.Request(context.Request.Protocol, request.Kind);
        var connection = connections.Find(context.Connection.Id);
        var n = connection?.NextRequest() ?? 0;
        if (connection is not null && context.Features.Get<IConnectionLifetimeNotificationFeature>() is { } closeFeature)
        {
            connection.RequestClose = closeFeature.RequestClose;
        }
        if (options.ReloadAfterRequests > 0 && Interlocked.Increment(ref _arrivals) == options.ReloadAfterRequests)
        {
            // A reload, as nginx -s reload or a graceful restart: every open connection is asked to close while its
            // streams are active, so Kestrel sends the two-step GOAWAY (2^31-1, then the real last stream); new
            // connections are served as before.
            counters.Reload();
            foreach (var open in connections.All)
            {
                open.RequestClose?.Invoke();
            }
        }
        if (Environment.TickCount64 < Interlocked.Read(ref _retryAfterUntil))
        {
            counters.RequestDuringRetryAfter();
        }
        if (options.TooManyRequestsEvery > 0 && Interlocked.Increment(ref _throttleTicket) % options.TooManyRequestsEvery == 0)
        {
            // 429 with Retry-After in whole seconds (RFC 9110 §10.2.3); requests that arrive before it ends are counted.
            var seconds = (long)Math.Ceiling(options.RetryAfter.TotalSeconds);
            Interlocked.Exchange(ref _retryAfterUntil, Environment.TickCount64 + seconds * 1000);
            counters.Throttled();
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Text(context, StatusCodes.Status429TooManyRequests, "too many requests").ConfigureAwait(false);
            counters.Status(context.Response.StatusCode);
            return;
        }

        if (options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(options.Latency, context.RequestAborted).ConfigureAwait(false);
        }
        if (ShouldReset())
        {
            if (http2 && context.Features.Get<IHttpResetFeature>() is { } reset)
            {
                counters.ResetRequested();
                reset.Reset(Http2InternalError);
            }
            else
            {
                // HTTP/1.1 has no stream to reset: the nearest fault is dropping the connection mid-request.
                counters.Abort();
                context.Abort();
            }
            return;
        }
        if (connection is not null && BudgetSpent(n) && connection.TryRequestClose())
        {
            if (http2)
            {
                // Kestrel answers RequestClose on HTTP/2 with a graceful GOAWAY (NO_ERROR), as nginx does when
                // keepalive_requests / http2_max_requests is spent.
                // Asked once the response is complete, so no stream is active and Kestrel sends one GOAWAY whose
                // last-stream-id is this stream (nginx's shape: budget 1000 → last stream 1999). Asked while the
                // stream is active, Kestrel sends GOAWAY(2^31-1) first and the real one when streams drain.
                counters.GoAwayRequested();
                var lifetime = context.Features.Get<IConnectionLifetimeNotificationFeature>();
                context.Response.OnCompleted(() =>
                {
                    lifetime?.RequestClose();
                    return Task.CompletedTask;
                });
            }
            else
            {
                counters.ConnectionClose();
                context.Response.Headers.Connection = "close";
            }
        }
        await ServeAsync(context, request).ConfigureAwait(false);
        counters.Status(context.Response.StatusCode);
    }

    private bool BudgetSpent(int n) =>
        (options.CloseAfterRequests > 0 && n >= options.CloseAfterRequests)
        || (options.GoAwayAfterStreams > 0 && n >= options.GoAwayAfterStreams);

    /// <summary>Exactly P of every 100 requests, spread evenly (request k is reset when ⌊kP/100⌋ steps up).</summary>
    private bool ShouldReset()
    {
        if (options.ResetStreamPercent <= 0)
        {
            return false;
        }
        var k = Interlocked.Increment(ref _resetTicket);
        return Math.Floor(k * options.ResetStreamPercent / 100) > Math.Floor((k - 1) * options.ResetStreamPercent / 100);
    }

    private Task ServeAsync(HttpContext context, GoProxyRequest request)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return Text(context, StatusCodes.Status405MethodNotAllowed, $"method {context.Request.Method} not allowed");
        }
        if (request.Kind == "other")
        {
            return Text(context, StatusCodes.Status404NotFound, $"not found: {request.Problem}");
        }
        if (catalog.Versions(request.Module) is null)
        {
            return Text(context, StatusCodes.Status404NotFound, $"not found: module {request.Module}: not served by this lab GOPROXY");
        }
        switch (request.Kind)
        {
            case "list":
                return Text(context, StatusCodes.Status200OK, catalog.ListBody(request.Module));
            case "latest":
                var latest = catalog.Latest(request.Module);
                var latestInfo = latest is null ? null : catalog.Find(request.Module, latest, "info");
                return latestInfo is null
                    ? Text(context, StatusCodes.Status410Gone, $"not found: module {request.Module}: no versions")
                    : File(context, latestInfo, ranges: false);
            default:
                var file = catalog.Find(request.Module, request.Version, request.Kind);
                return file is null
                    ? Text(context, StatusCodes.Status410Gone, $"not found: {request.Module}@{request.Version}: invalid version: unknown revision {request.Version}")
                    : File(context, file, ranges: request.Kind == "zip");
        }
    }

    private static Task File(HttpContext context, ModuleFile file, bool ranges)
    {
        var etag = EntityTagHeaderValue.Parse(file.ETag);
        var result = file.Content is not null
            ? Results.Bytes(file.Content, file.ContentType, enableRangeProcessing: ranges, lastModified: file.LastModified, entityTag: etag)
            : Results.File(file.FilePath!, file.ContentType, lastModified: file.LastModified, entityTag: etag, enableRangeProcessing: ranges);
        return result.ExecuteAsync(context);
    }

    private static Task Text(HttpContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.EndsWith('\n') || body.Length == 0 ? body : body + "\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(bytes).AsTask();
    }
}
