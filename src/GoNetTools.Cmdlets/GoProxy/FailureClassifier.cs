using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace GoNetTools.GoProxy;

/// <summary>Names a failed request's cause from the exception chain the handler threw.</summary>
internal static class FailureClassifier
{
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

    public static string Classify(Exception exception)
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
                case HttpProtocolException:
                    return StreamReset;
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
