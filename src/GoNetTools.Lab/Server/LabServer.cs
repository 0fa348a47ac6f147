using System;
using System.Linq;
using System.Net;
using System.Security.Authentication;
using System.Threading.Tasks;
using GoNetTools.Lab.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GoNetTools.Lab.Server;

/// <summary>
/// Builds the Kestrel app. TLS: HTTP/1.1 and HTTP/2 chosen by ALPN (h2 preferred). Cleartext: HTTP/2 with
/// prior knowledge and HTTP/1.1 on the same port (see <see cref="CleartextProtocolSniffer"/>), HTTP/1.1 only
/// with --http1-only.
/// </summary>
internal static class LabServer
{
    public static WebApplication Build(LabOptions options, IModuleCatalog catalog, LabCounters counters, LabCertificates? certificates)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // stdout is the control channel: nothing else may write there.
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("GONETTOOLS_LAB_LOG") is { Length: > 0 } level)
        {
            // Diagnostics for lab development: Kestrel's log on stderr at the level named (Debug, Trace, ...).
            builder.Logging.AddConsole(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(level, true, out var l) ? l : LogLevel.Debug);
        }
        else
        {
            builder.Logging.AddFilter(_ => false);
        }
        var taps = new ConnectionTaps(options, counters);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.AllowAlternateSchemes = options.Cleartext;
            if (options.MaxConcurrentStreams > 0)
            {
                kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxConcurrentStreams;
            }
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = options.Http1Only ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                listen.Use(taps.Accept);
                if (certificates is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificates.Server,
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        // Go gives up on a TLS handshake after 10 s; the lab must never be the one timing out first.
                        HandshakeTimeout = TimeSpan.FromSeconds(60),
                    });
                }
                else if (!options.Http1Only)
                {
                    listen.Use(CleartextProtocolSniffer.Sniff);
                }
                listen.Use(taps.Tap);
            });
        });
        var app = builder.Build();
        var handler = new GoProxyHandler(catalog, options, counters, taps);
        app.Run(handler.HandleAsync);
        return app;
    }

    /// <summary>The bound base URL (the real port when 0 was asked for).</summary>
    public static Uri BaseUrl(WebApplication app, LabOptions options)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var host = options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Address}]" : options.Address.ToString();
        return new Uri($"{(options.Cleartext ? "http" : "https")}://{host}:{port}/");
    }

    public static Task StartAsync(WebApplication app) => app.StartAsync();

    internal static bool IsAddressInUse(Exception e) =>
        e is System.IO.IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } }
        || e.GetType().Name == "AddressInUseException"
        || e.InnerException is not null && IsAddressInUse(e.InnerException);
}
