using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace GoNetTools.GoProxy;

/// <summary>
/// The client side of cmd/go's net/http Transport (one per round: a round is one `go` process), rebuilt on
/// SocketsHttpHandler:
/// HTTP/2 (Go's default over https): one shared handler; a new connection only when one is full or ended
/// (GOAWAY). HTTP/1.1 (GODEBUG=http2client=0, an http:// proxy, or a server that did not offer h2): Go's idle
/// pool — a request takes an idle connection or dials a new one, and when it is done the connection goes back
/// only while fewer than MaxIdleConnsPerHost (2) are idle; the others are closed by the client, each leaving
/// a TIME_WAIT socket behind. Each pooled connection is a handler limited to one connection, so "close this
/// one" is exact and race-free.
/// </summary>
internal sealed class GoTransport : IDisposable
{
    private readonly ConnectionRegistry _registry;
    private readonly bool _skipCertificateCheck;
    private readonly int _maxIdle;
    private readonly Version _version;
    private readonly HttpMessageInvoker _http2;
    private readonly Stack<HttpMessageInvoker> _idle = new();
    private readonly List<HttpMessageInvoker> _all = new();
    private volatile bool _useIdlePool;
    private bool _disposed;

    private readonly X509Certificate2Collection? _trustedRoots;
    private readonly string _host;

    public GoTransport(ConnectionRegistry registry, Uri proxy, bool http11, int maxIdlePerHost, bool skipCertificateCheck, X509Certificate2Collection? trustedRoots = null)
    {
        _registry = registry;
        _skipCertificateCheck = skipCertificateCheck;
        _trustedRoots = trustedRoots;
        _host = proxy.IdnHost;
        _maxIdle = maxIdlePerHost;
        _version = http11 ? HttpVersion.Version11 : HttpVersion.Version20;
        _useIdlePool = http11 || proxy.Scheme == Uri.UriSchemeHttp;
        _http2 = new HttpMessageInvoker(NewHandler(singleConnection: false), disposeHandler: true);
        registry.Http1Negotiated += () => _useIdlePool = true;
    }

    /// <summary>What the client asks for: Go offers h2 by ALPN and accepts HTTP/1.1 (the handler does the same).</summary>
    public HttpRequestMessage NewRequest(Uri uri) => new(HttpMethod.Get, uri)
    {
        Version = _version,
        VersionPolicy = _version == HttpVersion.Version11 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
    };

    /// <summary>The connection pool to send the next request on, and whether it must be handed back with <see cref="Release"/>.</summary>
    public (HttpMessageInvoker Invoker, bool Pooled) Acquire()
    {
        if (!_useIdlePool)
        {
            return (_http2, false);
        }
        lock (_idle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.Count > 0)
            {
                return (_idle.Pop(), true);
            }
            var invoker = new HttpMessageInvoker(NewHandler(singleConnection: true), disposeHandler: true);
            _all.Add(invoker);
            return (invoker, true);
        }
    }

    /// <summary>Back to the idle pool while it holds fewer than MaxIdleConnsPerHost; otherwise closed (client closes first).</summary>
    public void Release(HttpMessageInvoker invoker, bool reusable)
    {
        lock (_idle)
        {
            if (reusable && !_disposed && _idle.Count < _maxIdle)
            {
                _idle.Push(invoker);
                return;
            }
            _all.Remove(invoker);
        }
        invoker.Dispose();
    }

    private SocketsHttpHandler NewHandler(bool singleConnection)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = _registry.ConnectAsync,
            PlaintextStreamFilter = _registry.FilterAsync,
            // Covers our ConnectCallback (backoff turn ≤ 8 s, Go's 30 s dial limit) and TLS (Go's 10 s, our own timer).
            ConnectTimeout = TimeSpan.FromSeconds(60),
            // Go's IdleConnTimeout.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            AllowAutoRedirect = true,
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = singleConnection ? 1 : int.MaxValue,
            MaxResponseDrainSize = 0,
        };
        if (_skipCertificateCheck)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
            return handler;
        }
        // .NET's own verdict, passed through; the callback only records why a certificate was rejected.
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => _registry.ValidateCertificate(sender, certificate, chain, errors, _host),
        };
        if (_trustedRoots is not null)
        {
            // Trust exactly the given CA (as SSL_CERT_FILE does for the go tool), with normal chain and name checks.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trustedRoots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return handler;
    }

    public void Dispose()
    {
        List<HttpMessageInvoker> all;
        lock (_idle)
        {
            _disposed = true;
            all = new List<HttpMessageInvoker>(_all);
            _all.Clear();
            _idle.Clear();
        }
        foreach (var invoker in all)
        {
            invoker.Dispose();
        }
        _http2.Dispose();
    }
}
