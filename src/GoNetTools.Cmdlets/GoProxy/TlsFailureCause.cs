using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.GoProxy;

/// <summary>A failed TLS handshake's cause and the sentence that explains it.</summary>
internal sealed record TlsFailure(string Cause, string Detail);

/// <summary>
/// Names why a TLS handshake failed: from the certificate check (SslPolicyErrors and the chain status, seen in the
/// validation callback) or from the exception chain SslStream throws (OpenSSL's alert text on Linux, SChannel's
/// on Windows), or our own 10 s handshake limit (Go's TLSHandshakeTimeout).
/// </summary>
internal static class TlsFailureCause
{
    public const string UntrustedRoot = "UntrustedRoot", NameMismatch = "NameMismatch", Expired = "Expired", NotYetValid = "NotYetValid";
    public const string Revoked = "Revoked", NoCertificate = "NoCertificate", ChainError = "ChainError";
    public const string NoSharedProtocol = "NoSharedProtocol", NoSharedCipher = "NoSharedCipher", NotTls = "NotTls";
    public const string ClosedDuringHandshake = "ClosedDuringHandshake", HandshakeTimeout = "HandshakeTimeout", Other = "HandshakeFailed";

    /// <summary>The cause of a rejected certificate, or null when the certificate passed.</summary>
    public static TlsFailure? FromCertificate(SslPolicyErrors errors, X509Certificate? certificate, X509Chain? chain, string host)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }
        var subject = certificate?.Subject is { Length: > 0 } s ? $"'{s}'" : "the server's certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return new TlsFailure(NoCertificate, "the server sent no certificate");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, st) => all | st.Status) ?? X509ChainStatusFlags.NoError;
            var cert = certificate is null ? null : new X509Certificate2(certificate);
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid) && cert is not null)
            {
                return cert.NotAfter < DateTime.Now
                    ? new TlsFailure(Expired, $"{subject} expired on {cert.NotAfter:yyyy-MM-dd HH:mm}")
                    : new TlsFailure(NotYetValid, $"{subject} is not valid before {cert.NotBefore:yyyy-MM-dd HH:mm} (check this machine's clock)");
            }
            if (flags.HasFlag(X509ChainStatusFlags.Revoked))
            {
                return new TlsFailure(Revoked, $"{subject} is revoked");
            }
            if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                // The last certificate the chain reached: its issuer, unless it is a self-signed root itself.
                var last = chain?.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : cert;
                var root = last is null ? "?" : last.Subject == last.Issuer ? last.Subject : last.Issuer;
                return new TlsFailure(UntrustedRoot, $"the certificate chain of {subject} ends at '{root}', which this machine does not trust"
                    + (flags.HasFlag(X509ChainStatusFlags.PartialChain) ? " (or the server does not send its intermediate certificates)" : ""));
            }
            var status = string.Join(", ", chain?.ChainStatus.Select(st => st.Status.ToString()).Distinct() ?? Array.Empty<string>());
            return new TlsFailure(ChainError, $"the certificate chain of {subject} is invalid: {status}");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var names = certificate is null ? "" : new X509Certificate2(certificate).GetNameInfo(X509NameType.DnsName, false);
            return new TlsFailure(NameMismatch, $"{subject} is for '{names}', not for '{host}'");
        }
        return new TlsFailure(Other, $"the certificate was rejected: {errors}");
    }

    /// <summary>The cause from the exception chain, when the certificate check recorded none.</summary>
    public static TlsFailure FromException(Exception exception)
    {
        var text = string.Join(" | ", Chain(exception).Select(e => e.Message)).ToLowerInvariant();
        if (Has(text, "protocol version", "unsupported protocol", "no protocols available", "wrong ssl version"))
        {
            return new TlsFailure(NoSharedProtocol, "client and server share no TLS version (the server's alert: protocol version)");
        }
        if (Has(text, "no shared cipher", "handshake failure", "no cipher"))
        {
            return new TlsFailure(NoSharedCipher, "the server ended the handshake with alert handshake_failure: no shared cipher suite or signature algorithm");
        }
        if (Has(text, "wrong version number", "packet length too long", "http request", "record layer failure"))
        {
            return new TlsFailure(NotTls, "the server does not speak TLS on this port (use http:// for a cleartext proxy)");
        }
        if (Has(text, "unexpected eof", "0 bytes from the transport", "connection reset", "forcibly closed", "broken pipe"))
        {
            return new TlsFailure(ClosedDuringHandshake, "the server closed the connection during the TLS handshake");
        }
        if (Has(text, "untrustedroot", "partialchain"))
        {
            return new TlsFailure(UntrustedRoot, "the certificate chain ends at a root this machine does not trust");
        }
        if (Has(text, "namemismatch"))
        {
            return new TlsFailure(NameMismatch, "the certificate is not for this host name");
        }
        if (Has(text, "nottimevalid", "expired"))
        {
            return new TlsFailure(Expired, "the certificate is outside its validity period");
        }
        var innermost = Chain(exception).Last();
        return new TlsFailure(Other, innermost.Message);
    }

    /// <summary>Our stand-in for Go's TLSHandshakeTimeout.</summary>
    public static TlsFailure Timeout(TimeSpan limit) =>
        new(HandshakeTimeout, $"no TLS handshake within {limit.TotalSeconds:0} s (go: \"net/http: TLS handshake timeout\"): the proxy accepted TCP but did not answer");

    private static bool Has(string text, params string[] any) => any.Any(a => text.Contains(a, StringComparison.Ordinal));

    private static System.Collections.Generic.IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
