using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.GoProxy;

/// <summary>
/// Names a failed request's cause from the exception chain the handler threw. An HTTP/2 stream error is a
/// StreamReset only when the frame tap saw an RST_STREAM with that code (<c>claimReset</c>); NO_ERROR (a request
/// that raced a GOAWAY on a closing connection) and REFUSED_STREAM are requests the server never processed,
/// which Go's transport sends again on a new connection: <see cref="RetryCause"/> says so.
/// </summary>
internal static class FailureClassifier
{
    /// <summary>Retry causes: the server never processed the request.</summary>
    public const string GoAwayNoError = "GoAwayNoError", RefusedStream = "RefusedStream", GoAwayUnprocessed = "GoAwayUnprocessed";
    /// <summary>Retry cause: the proxy closed a connection it had been answering on before the request got a byte back.</summary>
    public const string ClosedBeforeResponse = "ClosedBeforeResponse";
    public const string Stalled = "Stalled", ConnectionError = "ConnectionError", Off = "GoProxyOff";
    public const string StreamReset = "StreamReset";
    public const string TlsHandshake = "TlsHandshake";
    public const string ConnectionRefused = "ConnectionRefused";
    public const string Unreachable = "Unreachable";
    public const string NameResolution = "NameResolution";
    public const string ConnectionReset = "ConnectionReset";
    public const string ConnectionClosed = "ConnectionClosed";
    public const string Timeout = "Timeout";
    public const string PortsExhausted = "PortsExhausted";
    public const string Protocol = "Protocol";
    public const string NotGoProxy = "NotGoProxy";
    public const string NotFound = "NotFound";
    public const string HttpStatus = "HttpStatus";
    public const string Other = "Other";

    /// <summary>For a request the server never processed, why (Go sends it again once); otherwise null.</summary>
    public static string? RetryCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException p)
            {
                return p.ErrorCode switch
                {
                    0 => GoAwayNoError,
                    7 => RefusedStream,
                    _ => null,
                };
            }
        }
        return null;
    }

    public static string Classify(Exception exception, Func<string, bool>? claimReset = null)
    {
        // The handler says which stage failed; a reset during the TLS handshake is still a failed handshake.
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return TlsHandshake;
        }
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
        {
            return NameResolution;
        }
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpProtocolException p:
                    // A stream error the tap saw as RST_STREAM; otherwise the connection ended with an error (GOAWAY with a code, bad frames).
                    return claimReset?.Invoke(Http2ErrorCodes.Name((uint)p.ErrorCode)) == true ? StreamReset : ConnectionError;
                case AuthenticationException:
                    return TlsHandshake;
                case SocketException s:
                    return s.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => ConnectionRefused,
                        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown => Unreachable,
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => NameResolution,
                        SocketError.ConnectionReset or SocketError.ConnectionAborted => ConnectionReset,
                        SocketError.TimedOut => Timeout,
                        SocketError.AddressNotAvailable or SocketError.AddressAlreadyInUse => PortsExhausted,
                        _ => ConnectionReset,
                    };
                case TimeoutException or OperationCanceledException:
                    return Timeout;
            }
        }
        if (exception is HttpRequestException request)
        {
            return request.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => NameResolution,
                HttpRequestError.SecureConnectionError => TlsHandshake,
                HttpRequestError.ConnectionError => ConnectionRefused,
                HttpRequestError.ResponseEnded => ConnectionClosed,
                HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse => Protocol,
                _ => Other,
            };
        }
        return exception is IOException ? ConnectionClosed : Other;
    }
}
