using System;
using System.Linq;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Analysis.Http2;
using GoNetTools.Analysis.Tcp;
using GoNetTools.Analysis.Tls;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Analysis;

/// <summary>Turns tracker state into the output models.</summary>
internal sealed class FlowModels
{
    /// <summary>What to say when a TLS 1.3 ServerHello hides the ALPN choice.</summary>
    public const string AlpnHiddenNote = "TLS 1.3 sends the ALPN choice encrypted (EncryptedExtensions); only the offer is visible";

    private readonly EndpointText _text = new();
    private readonly string _path;

    public FlowModels(string path) => _path = path;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TcpFlow Flow(FlowState f, bool captureEnded)
    {
        var (ca, cp, sa, sp) = _text.Sides(f);
        var app = f.Application;
        var hello = app?.ClientTls?.ClientHello;
        var server = app?.ServerTls?.ServerHello;
        var h2 = app?.Protocol is FlowProtocol.Http2 or FlowProtocol.Http2Upgrade;
        return new TcpFlow
        {
            Client = EndpointText.Endpoint(ca, cp),
            Server = EndpointText.Endpoint(sa, sp),
            ClientAddress = ca,
            ClientPort = cp,
            ServerAddress = sa,
            ServerPort = sp,
            MidStream = f.MidStream,
            Start = CaptureTime.ToDateTime(f.StartTicks),
            End = CaptureTime.ToDateTime(f.LastTicks),
            Duration = TimeSpan.FromTicks(Math.Max(0, f.LastTicks - f.StartTicks)),
            HandshakeRtt = f.HandshakeRttTicks is { } rtt ? TimeSpan.FromTicks(rtt) : null,
            PacketsToServer = f.ToServer.Packets,
            PacketsToClient = f.ToClient.Packets,
            BytesToServer = f.ToServer.Bytes,
            BytesToClient = f.ToClient.Bytes,
            Retransmissions = f.ToServer.Retransmissions + f.ToClient.Retransmissions,
            FirstFin = f.FirstFin,
            ResetBy = f.ResetBy,
            TimeWaitHolder = f.TimeWaitHolder,
            Open = captureEnded && !f.Closed,
            Protocol = app?.Protocol ?? FlowProtocol.Unknown,
            Sni = hello?.Sni,
            SniBytes = hello?.SniBytes,
            AlpnOffered = hello?.AlpnOffered,
            TlsVersion = server?.Version,
            AlpnSelected = server?.AlpnSelected,
            AlpnNote = AlpnNote(hello, server),
            Http2Streams = h2 ? app!.Http2Streams : null,
            GoAway = h2 ? app!.LastGoAway : null,
            GoAways = h2 && app!.GoAwayCodes is { } goAways ? goAways.ToArray() : null,
            RstStreams = h2 && app!.RstStreams is { } rst ? rst.ToArray() : null,
            Path = _path,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TlsHandshake Handshake(FlowState f)
    {
        var (ca, cp, sa, sp) = _text.Sides(f);
        var client = f.Application!.ClientTls!;
        var hello = client.ClientHello!;
        var server = f.Application.ServerTls?.ServerHello;
        return new TlsHandshake
        {
            Time = CaptureTime.ToDateTime(client.HelloTicks),
            Client = EndpointText.Endpoint(ca, cp),
            Server = EndpointText.Endpoint(sa, sp),
            Sni = hello.Sni,
            SniBytes = hello.SniBytes,
            AlpnOffered = hello.AlpnOffered,
            OfferedVersions = hello.OfferedVersions,
            CipherSuiteCount = hello.CipherSuiteCount,
            ServerVersion = server?.Version,
            AlpnSelected = server?.AlpnSelected,
            AlpnNote = AlpnNote(hello, server),
            HandshakeDuration = client.FinishedTicks is { } done ? TimeSpan.FromTicks(Math.Max(0, done - client.HelloTicks)) : null,
            Incomplete = hello.Incomplete,
            Path = _path,
        };
    }

    public Http2Frame Frame(FlowState f, FlowDirection direction, in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks)
    {
        var (ca, cp, sa, sp) = _text.Sides(f);
        var type = (Http2FrameType)header.Type;
        Http2ErrorCode? code = null;
        int? last = null;
        string? debug = null;
        Http2Setting[]? settings = null;
        int? increment = null;
        if (type == Http2FrameType.GoAway && Http2Frames.TryReadGoAway(payload, out var l, out var c, out var d))
        {
            (last, code, debug) = (l, (Http2ErrorCode)c, d);
        }
        else if (type == Http2FrameType.RstStream && Http2Frames.TryReadRstStream(payload, out var rc))
        {
            code = (Http2ErrorCode)rc;
        }
        else if (type == Http2FrameType.Settings)
        {
            settings = Http2Frames.ReadSettings(payload).Select(s => new Http2Setting { Id = s.Key, Name = Http2Frames.SettingName(s.Key), Value = s.Value }).ToArray();
        }
        else if (type == Http2FrameType.WindowUpdate && Http2Frames.TryReadWindowUpdate(payload, out var inc))
        {
            increment = inc;
        }
        return new Http2Frame
        {
            Time = CaptureTime.ToDateTime(ticks),
            Client = EndpointText.Endpoint(ca, cp),
            Server = EndpointText.Endpoint(sa, sp),
            Direction = direction,
            StreamId = header.StreamId,
            Type = type,
            Flags = header.Flags,
            Length = header.Length,
            ErrorCode = code,
            LastStreamId = last,
            DebugData = debug,
            Settings = settings,
            WindowIncrement = increment,
            Path = _path,
        };
    }

    private static string? AlpnNote(ClientHelloInfo? hello, ServerHelloInfo? server)
    {
        if (hello is null || hello.AlpnOffered.Length == 0)
        {
            return null;
        }
        if (server is null)
        {
            return "no ServerHello captured";
        }
        if (server.Version == "TLS 1.3")
        {
            return AlpnHiddenNote;
        }
        return server.AlpnSelected is null ? "the server chose no ALPN protocol" : null;
    }
}
