using System;
using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace GoNetTools.Lab.Server;

/// <summary>
/// Lets one cleartext port serve both HTTP/1.1 (what Go's client speaks to an http:// GOPROXY) and HTTP/2 with
/// prior knowledge (h2c, what h2load and curl --http2-prior-knowledge speak). Kestrel picks the protocol of a
/// cleartext Http1AndHttp2 endpoint as HTTP/1.1 ("ambiguous without ALPN") and answers the HTTP/2 preface with
/// GOAWAY HTTP_1_1_REQUIRED; on a TLS connection it follows ALPN. So this middleware peeks at the first bytes
/// without consuming them and, when they are the HTTP/2 connection preface (RFC 9113 §3.4), presents the
/// connection as if ALPN had chosen "h2". Kestrel then also needs AllowAlternateSchemes, since the client's
/// :scheme is "http".
/// </summary>
internal static class CleartextProtocolSniffer
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static ConnectionDelegate Sniff(ConnectionDelegate next) => async context =>
    {
        if (await StartsWithPrefaceAsync(context).ConfigureAwait(false))
        {
            var selected = new PriorKnowledgeFeature();
            context.Features.Set<ITlsConnectionFeature>(selected);
            context.Features.Set<ITlsApplicationProtocolFeature>(selected);
        }
        await next(context).ConfigureAwait(false);
    };

    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext context)
    {
        var input = context.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(context.ConnectionClosed).ConfigureAwait(false);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var head = new byte[length];
            buffer.Slice(0, length).CopyTo(head);
            var matches = head.AsSpan().SequenceEqual(Preface.AsSpan(0, length));
            if (!matches || length == Preface.Length || result.IsCompleted || result.IsCanceled)
            {
                // Nothing consumed or examined: Kestrel's first read gets every byte at once.
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }
            // A prefix of the preface so far: mark it examined so the next read waits for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Stands in for the TLS features so Kestrel's protocol selection picks HTTP/2.</summary>
    private sealed class PriorKnowledgeFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
