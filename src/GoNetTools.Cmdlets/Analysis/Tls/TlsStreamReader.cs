using System;
using System.Buffers;
using GoNetTools.Analysis.Tcp;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.Tls;

/// <summary>
/// Reads one direction of a TLS connection record by record (RFC 8446 5.1), joining handshake records until
/// the first handshake message (ClientHello or ServerHello) is whole, however the records were split over
/// segments. The client side then watches record headers only, to time the client's ChangeCipherSpec or
/// first encrypted record (the end of the handshake as seen on the wire). Memory is bounded by
/// <see cref="MaxHandshakeBytes"/>.
/// </summary>
internal sealed class TlsStreamReader : IStreamConsumer
{
    /// <summary>Real ClientHellos are under 2 KB (post-quantum key shares included); 64 KB is the protocol cap.</summary>
    public const int MaxHandshakeBytes = 32 * 1024;
    private const byte ChangeCipherSpec = 20;
    private const byte Handshake = 22;
    private const byte ApplicationData = 23;

    private readonly bool _isClient;
    private readonly byte[] _header = new byte[5];
    private int _headerFill;
    private int _recordRemaining;
    private byte _recordType;
    private byte[]? _handshake;
    private int _handshakeFill;
    private bool _helloDone;

    public TlsStreamReader(bool isClient) => _isClient = isClient;

    /// <summary>False when the first bytes were not a TLS handshake record.</summary>
    public bool IsTls { get; private set; } = true;

    public ClientHelloInfo? ClientHello { get; private set; }

    public ServerHelloInfo? ServerHello { get; private set; }

    /// <summary>When the first handshake record started (ClientHello / ServerHello time).</summary>
    public long HelloTicks { get; private set; }

    /// <summary>When the client's ChangeCipherSpec or first application-data record appeared.</summary>
    public long? FinishedTicks { get; private set; }

    /// <summary>Set when the stream stopped being readable (oversized hello, bad record).</summary>
    public string? Problem { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Feed(ReadOnlySpan<byte> data, long ticks)
    {
        while (data.Length > 0)
        {
            if (_recordRemaining == 0)
            {
                var take = Math.Min(5 - _headerFill, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                data = data[take..];
                if (_headerFill < 5)
                {
                    return true;
                }
                _headerFill = 0;
                _recordType = _header[0];
                _recordRemaining = (_header[3] << 8) | _header[4];
                if (_header[1] != 3 || _recordType is < 20 or > 24 || _recordRemaining > 18432)
                {
                    IsTls = _helloDone || HelloTicks != 0;
                    Problem = "not a TLS record";
                    return false;
                }
                if (!_helloDone && _recordType != Handshake)
                {
                    IsTls = false;
                    return false;
                }
                if (HelloTicks == 0)
                {
                    HelloTicks = ticks;
                }
                if (_helloDone && _isClient && _recordType is ChangeCipherSpec or ApplicationData)
                {
                    FinishedTicks = ticks;
                    return false;
                }
                if (_recordRemaining == 0)
                {
                    continue;
                }
            }
            var chunk = data[..Math.Min(_recordRemaining, data.Length)];
            data = data[chunk.Length..];
            _recordRemaining -= chunk.Length;
            if (!_helloDone && _recordType == Handshake && !Collect(chunk))
            {
                return false;
            }
            if (_helloDone && (!_isClient || FinishedTicks is not null))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A gap (usually a snap length under ~2 KB) cut the ClientHello: report the fields that were captured,
    /// marked incomplete, rather than nothing.
    /// </summary>
    public void OnGap()
    {
        if (!_helloDone && _isClient && _handshake is not null && _handshakeFill > 4 && _handshake[0] == TlsHelloParser.ClientHelloType)
        {
            var length = (_handshake[1] << 16) | (_handshake[2] << 8) | _handshake[3];
            ClientHello = TlsHelloParser.ParseClientHello(_handshake.AsSpan(4, Math.Min(length, _handshakeFill - 4)));
            ClientHello.Incomplete = true;
            _helloDone = true;
            Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Collect(ReadOnlySpan<byte> chunk)
    {
        // Pooled: thousands of connections each need a hello buffer for a moment, not for their lifetime.
        _handshake ??= ArrayPool<byte>.Shared.Rent(2048);
        if (_handshakeFill + chunk.Length > _handshake.Length)
        {
            if (_handshakeFill + chunk.Length > MaxHandshakeBytes)
            {
                Problem = $"first handshake message exceeds {MaxHandshakeBytes} bytes";
                Release();
                return false;
            }
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxHandshakeBytes, Math.Max(_handshake.Length * 2, _handshakeFill + chunk.Length)));
            _handshake.AsSpan(0, _handshakeFill).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_handshake);
            _handshake = bigger;
        }
        chunk.CopyTo(_handshake.AsSpan(_handshakeFill));
        _handshakeFill += chunk.Length;
        if (_handshakeFill < 4)
        {
            return true;
        }
        var length = (_handshake[1] << 16) | (_handshake[2] << 8) | _handshake[3];
        if (4 + length > MaxHandshakeBytes)
        {
            Problem = $"first handshake message claims {length} bytes";
            return false;
        }
        if (_handshakeFill < 4 + length)
        {
            return true;
        }
        var body = _handshake.AsSpan(4, length);
        switch (_handshake[0])
        {
            case TlsHelloParser.ClientHelloType when _isClient:
                ClientHello = TlsHelloParser.ParseClientHello(body);
                break;
            case TlsHelloParser.ServerHelloType when !_isClient:
                ServerHello = TlsHelloParser.ParseServerHello(body);
                break;
            default:
                IsTls = false;
                return false;
        }
        _helloDone = true;
        Release();
        return true;
    }

    private void Release()
    {
        if (_handshake is not null)
        {
            ArrayPool<byte>.Shared.Return(_handshake);
            _handshake = null;
        }
    }
}
