using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.GoProxy;

/// <summary>The TLS side of the registry: Go's handshake limit, the certificate check, and each failed handshake's cause.</summary>
internal sealed partial class ConnectionRegistry
{
    /// <summary>The latest failed handshake's cause, when it is at most a few seconds old (a request failing now failed on it).</summary>
    public TlsFailure? RecentTlsFailure()
    {
        lock (_frames)
        {
            return _lastTlsFailure is { } f && Stopwatch.GetElapsedTime(f.At) < TimeSpan.FromSeconds(5) ? f.Failure : null;
        }
    }

    /// <summary>A cause read from an exception, for the connections that failed their handshake without one.</summary>
    public void NoteTlsFailure(TlsFailure failure)
    {
        foreach (var c in Snapshot().Where(c => !c.Established && c.IsClosed))
        {
            lock (c.Record)
            {
                c.Record.TlsFailure ??= failure.Cause;
            }
        }
        lock (_frames)
        {
            _lastTlsFailure = (failure, Stopwatch.GetTimestamp());
        }
    }

    private void OnHandshakeTimeout(TrackedConnection connection)
    {
        lock (_frames)
        {
            _lastTlsFailure = (TlsFailureCause.Timeout(TlsHandshakeLimit), Stopwatch.GetTimestamp());
        }
        // The timer runs on a millisecond tick count and may fire a fraction of a millisecond before Stopwatch says
        // 10 s have passed: the handshake reached the limit when it fired.
        var waited = Stopwatch.GetElapsedTime(connection.ConnectedTicks);
        _tracker.NoteHandshakeTimeout(waited < TlsHandshakeLimit ? TlsHandshakeLimit : waited);
    }

    /// <summary>
    /// A TLS connection closed before its handshake finished: its cause is the certificate's or the timeout's, when one
    /// was recorded, else "closed during the handshake" (an exception may name it better; see the fetcher).
    /// </summary>
    private void OnHandshakeFailed(TrackedConnection connection)
    {
        string? cause;
        lock (connection.Record)
        {
            cause = connection.Record.TlsFailure;
        }
        lock (_frames)
        {
            var failure = cause is null ? new TlsFailure(TlsFailureCause.ClosedDuringHandshake, "the server closed or reset the connection during the TLS handshake")
                : _lastTlsFailure is { } last && last.Failure.Cause == cause ? last.Failure
                : new TlsFailure(cause, "");
            _lastTlsFailure = (failure, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>A handshake failed within the last second and no connection is up: a reset or close now is that handshake's.</summary>
    public bool HandshakeJustFailed
    {
        get
        {
            lock (_frames)
            {
                if (_lastTlsFailure is not { } f || Stopwatch.GetElapsedTime(f.At) > TimeSpan.FromSeconds(1))
                {
                    return false;
                }
            }
            lock (_connections)
            {
                return !_connections.Any(c => c.Established && !c.IsClosed);
            }
        }
    }

    /// <summary>The certificate check: .NET's verdict (with the chain policy given), and its cause recorded on the connection.</summary>
    public bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, string host)
    {
        var failure = TlsFailureCause.FromCertificate(errors, certificate, chain, host);
        if (failure is null)
        {
            return true;
        }
        if (sender is AuthenticatedStream tls && InnerStreamProperty?.GetValue(tls) is TrackedConnection connection)
        {
            lock (connection.Record)
            {
                connection.Record.TlsFailure = failure.Cause;
            }
        }
        lock (_frames)
        {
            _lastTlsFailure = (failure, Stopwatch.GetTimestamp());
        }
        return false;
    }
}
