using System;
using System.Collections.Generic;
using GoNetTools.Analysis.Http2;
using GoNetTools.Analysis.Tls;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Analysis.Tcp;

/// <summary>Where a flow's decoded HTTP/2 frames go (the analyser, when frames are asked for).</summary>
internal interface IHttp2FrameSink
{
    void OnFrame(FlowState flow, FlowDirection direction, in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks);
}

/// <summary>
/// Recognises what a flow carries from the client's first bytes (TLS record, HTTP/2 preface, an HTTP/1.1
/// request that may upgrade to h2c) and routes each direction to the matching reader. Server bytes that
/// arrive before the client has spoken are held (at most 4 KB) until the choice is made.
/// </summary>
internal sealed class FlowApplication
{
    private const int SniffLength = 4;
    private const int MaxHeldServerBytes = 4096;
    private readonly FlowState _flow;
    private readonly IHttp2FrameSink? _sink;
    private byte[]? _sniff = new byte[SniffLength];
    private int _sniffFill;
    private long _sniffTicks;
    private byte[]? _heldServer;
    private int _heldServerFill;
    private long _heldServerTicks;
    private IStreamConsumer? _client;
    private IStreamConsumer? _server;
    private Http2StreamReader? _clientHttp2;
    private int _lastClientStream;
    private List<Http2ErrorCount>? _rstStreams;

    public FlowApplication(FlowState flow, IHttp2FrameSink? sink)
    {
        _flow = flow;
        _sink = sink;
        ClientSide = new Side(this, true);
        ServerSide = new Side(this, false);
    }

    public IStreamConsumer ClientSide { get; }
    public IStreamConsumer ServerSide { get; }
    public FlowProtocol Protocol { get; private set; }
    public TlsStreamReader? ClientTls { get; private set; }
    public TlsStreamReader? ServerTls { get; private set; }
    public int Http2Streams { get; private set; }
    public Http2GoAway? LastGoAway { get; private set; }
    public List<Http2ErrorCount>? GoAwayCodes { get; private set; }
    public IReadOnlyList<Http2ErrorCount>? RstStreams => _rstStreams;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FeedClient(ReadOnlySpan<byte> data, long ticks)
    {
        if (_client is not null)
        {
            return _client.Feed(data, ticks);
        }
        if (_sniffFill == 0)
        {
            _sniffTicks = ticks;
        }
        var take = Math.Min(SniffLength - _sniffFill, data.Length);
        data[..take].CopyTo(_sniff.AsSpan(_sniffFill));
        _sniffFill += take;
        if (_sniffFill < SniffLength)
        {
            return true;
        }
        Choose(_sniff!);
        var sniffed = _sniff!;
        _sniff = null;
        // The client's bytes first: a failed HTTP/2 preface must be known before held server bytes are read.
        var more = _client is not null && _client.Feed(sniffed, _sniffTicks) && (data.Length == take || _client.Feed(data[take..], ticks));
        if (_server is not null && _heldServer is not null)
        {
            FeedServer(_heldServer.AsSpan(0, _heldServerFill), _heldServerTicks);
            _heldServer = null;
        }
        return more;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FeedServer(ReadOnlySpan<byte> data, long ticks)
    {
        if (_clientHttp2 is { IsHttp2: false })
        {
            return false; // the client never spoke HTTP/2: do not read the server's bytes as frames
        }
        if (_server is not null)
        {
            return _server.Feed(data, ticks);
        }
        if (Protocol != FlowProtocol.Unknown)
        {
            return false; // decided, and the server side is not needed
        }
        _heldServer ??= new byte[MaxHeldServerBytes];
        if (_heldServerFill == 0)
        {
            _heldServerTicks = ticks;
        }
        if (_heldServerFill + data.Length > MaxHeldServerBytes)
        {
            _heldServer = null;
            return false;
        }
        data.CopyTo(_heldServer.AsSpan(_heldServerFill));
        _heldServerFill += data.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Choose(ReadOnlySpan<byte> first)
    {
        if (first[0] == 0x16 && first[1] == 3)
        {
            Protocol = FlowProtocol.Tls;
            _client = ClientTls = new TlsStreamReader(isClient: true);
            _server = ServerTls = new TlsStreamReader(isClient: false);
        }
        else if (first.SequenceEqual("PRI "u8))
        {
            Protocol = FlowProtocol.Http2;
            _client = _clientHttp2 = NewHttp2(FlowDirection.ClientToServer, expectPreface: true);
            _server = NewHttp2(FlowDirection.ServerToClient, expectPreface: false);
        }
        else if (LooksLikeHttp1Method(first))
        {
            Protocol = FlowProtocol.Http1;
            _client = new H2cUpgradeReader(true, () => _clientHttp2 = NewHttp2(FlowDirection.ClientToServer, expectPreface: true));
            _server = new H2cUpgradeReader(false, () =>
            {
                Protocol = FlowProtocol.Http2Upgrade;
                Http2Streams = Math.Max(Http2Streams, 1); // the upgraded request is stream 1 (RFC 7540 3.2)
                _lastClientStream = Math.Max(_lastClientStream, 1);
                return NewHttp2(FlowDirection.ServerToClient, expectPreface: false);
            });
        }
        else
        {
            Protocol = FlowProtocol.Other;
        }
    }

    private static bool LooksLikeHttp1Method(ReadOnlySpan<byte> first) =>
        first.SequenceEqual("GET "u8) || first.SequenceEqual("POST"u8) || first.SequenceEqual("HEAD"u8) || first.SequenceEqual("PUT "u8)
        || first.SequenceEqual("DELE"u8) || first.SequenceEqual("OPTI"u8) || first.SequenceEqual("PATC"u8);

    private Http2StreamReader NewHttp2(FlowDirection direction, bool expectPreface) =>
        new(expectPreface, (in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks) => OnFrame(direction, header, payload, ticks));

    private void OnFrame(FlowDirection direction, in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks)
    {
        if (_clientHttp2 is { IsHttp2: false })
        {
            return;
        }
        switch ((Http2FrameType)header.Type)
        {
            case Http2FrameType.Headers when direction == FlowDirection.ClientToServer && (header.StreamId & 1) == 1 && header.StreamId > _lastClientStream:
                _lastClientStream = header.StreamId;
                Http2Streams++;
                break;
            case Http2FrameType.GoAway when Http2Frames.TryReadGoAway(payload, out var last, out var code, out var debug):
                LastGoAway = new Http2GoAway
                {
                    SentBy = direction == FlowDirection.ClientToServer ? FlowSide.Client : FlowSide.Server,
                    LastStreamId = last,
                    ErrorCode = (Http2ErrorCode)code,
                    DebugData = debug,
                };
                Tally(GoAwayCodes ??= new List<Http2ErrorCount>(1), (Http2ErrorCode)code);
                break;
            case Http2FrameType.RstStream when Http2Frames.TryReadRstStream(payload, out var rstCode):
                Tally(_rstStreams ??= new List<Http2ErrorCount>(1), (Http2ErrorCode)rstCode);
                break;
        }
        _sink?.OnFrame(_flow, direction, header, payload, ticks);
    }

    internal static void Tally(List<Http2ErrorCount> counts, Http2ErrorCode code, int by = 1)
    {
        foreach (var c in counts)
        {
            if (c.ErrorCode == code)
            {
                c.Count += by;
                return;
            }
        }
        counts.Add(new Http2ErrorCount { ErrorCode = code, Count = by });
    }

    private sealed class Side : IStreamConsumer
    {
        private readonly FlowApplication _owner;
        private readonly bool _client;

        public Side(FlowApplication owner, bool client)
        {
            _owner = owner;
            _client = client;
        }

        public bool Feed(ReadOnlySpan<byte> data, long ticks) => _client ? _owner.FeedClient(data, ticks) : _owner.FeedServer(data, ticks);

        public void OnGap() => (_client ? _owner._client : _owner._server)?.OnGap();
    }
}
