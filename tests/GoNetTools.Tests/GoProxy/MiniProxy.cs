using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace GoNetTools.Tests.GoProxy;

/// <summary>
/// A minimal in-test GOPROXY on Kestrel (https on 127.0.0.1, self-signed), serving one module, with the few
/// faults engine tests need and counters of what it sent. The lab server (src/GoNetTools.Lab) is the real one.
/// </summary>
public sealed class MiniProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests, _resets, _goAways, _connections;

    public int ResetPercent { get; init; }
    public int GoAwayAfter { get; init; }
    public bool CloseEach { get; init; }

    public MiniProxy(HttpProtocols protocols = HttpProtocols.Http1AndHttp2, int resetPercent = 0, int goAwayAfter = 0, bool closeEach = false,
        TimeSpan? handshakeDelay = null, TimeSpan? latency = null, bool html = false)
    {
        ResetPercent = resetPercent;
        GoAwayAfter = goAwayAfter;
        CloseEach = closeEach;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var cert = SelfSigned();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = protocols;
            if (handshakeDelay is { } delay)
            {
                l.Use(next => async ctx => { await Task.Delay(delay); await next(ctx); });
            }
            l.UseHttps(cert);
            l.Use(next => async ctx => { Interlocked.Increment(ref _connections); await next(ctx); });
        }));
        _app = builder.Build();
        var perConnection = new System.Runtime.CompilerServices.ConditionalWeakTable<object, StrongBox<int>>();
        _app.Run(async ctx =>
        {
            int n = Interlocked.Increment(ref _requests);
            var path = ctx.Request.Path.Value ?? "";
            if (latency is { } wait)
            {
                await Task.Delay(wait);
            }
            if (html)
            {
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body>Welcome</body></html>");
                return;
            }
            if (ResetPercent > 0 && ctx.Features.Get<IHttpResetFeature>() is { } reset && n % (100 / ResetPercent) == 0)
            {
                Interlocked.Increment(ref _resets);
                reset.Reset(2);
                return;
            }
            if (GoAwayAfter > 0 && ctx.Features.Get<IConnectionLifetimeNotificationFeature>() is { } life)
            {
                var box = perConnection.GetOrCreateValue(ctx.Features.Get<IConnectionItemsFeature>()!.Items);
                if (Interlocked.Increment(ref box.Value) == GoAwayAfter)
                {
                    Interlocked.Increment(ref _goAways);
                    life.RequestClose();
                }
            }
            if (CloseEach)
            {
                ctx.Response.Headers.Connection = "close";
            }
            if (path.EndsWith("/@v/list", StringComparison.Ordinal))
            {
                await ctx.Response.WriteAsync("v1.0.0\nv1.1.0\n");
            }
            else if (path.EndsWith(".info", StringComparison.Ordinal))
            {
                await ctx.Response.WriteAsync("{\"Version\":\"v1.1.0\",\"Time\":\"2024-01-01T00:00:00Z\"}");
            }
            else if (path.EndsWith(".mod", StringComparison.Ordinal))
            {
                await ctx.Response.WriteAsync("module example.com/mini\n");
            }
            else if (path.EndsWith(".zip", StringComparison.Ordinal))
            {
                await ctx.Response.Body.WriteAsync(new byte[4096]);
            }
            else
            {
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsync("not found");
            }
        });
    }

    public sealed class StrongBox<T> { public T Value = default!; }

    public string Url { get; private set; } = "";
    public int Requests => Volatile.Read(ref _requests);
    public int Resets => Volatile.Read(ref _resets);
    public int GoAways => Volatile.Read(ref _goAways);
    public int Connections => Volatile.Read(ref _connections);

    public async Task<MiniProxy> StartAsync()
    {
        await _app.StartAsync();
        Url = _app.Urls is { Count: > 0 } urls ? System.Linq.Enumerable.First(urls) : throw new InvalidOperationException("no URL");
        Url = Url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        return this;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.Now.AddMinutes(-5), DateTimeOffset.Now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
