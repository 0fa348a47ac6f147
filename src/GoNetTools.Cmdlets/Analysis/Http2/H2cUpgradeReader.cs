using System;
using System.Text;
using GoNetTools.Analysis.Tcp;

namespace GoNetTools.Analysis.Http2;

/// <summary>
/// Reads the HTTP/1.1 head that opens a cleartext connection (RFC 9113 3.2 was h2c upgrade; RFC 7540 3.2):
/// a request carrying "Upgrade: h2c" on the client side, "101 Switching Protocols" on the server side. When
/// the upgrade happens, the bytes after the head go to an <see cref="Http2StreamReader"/> (the client then
/// sends the preface; the server starts with SETTINGS). Otherwise reading stops. Heads over 8 KB are given up.
/// </summary>
internal sealed class H2cUpgradeReader : IStreamConsumer
{
    private const int MaxHead = 8 * 1024;
    private readonly bool _isClient;
    private readonly Func<Http2StreamReader> _createReader;
    private byte[]? _head = new byte[512];
    private int _fill;
    private Http2StreamReader? _http2;

    public H2cUpgradeReader(bool isClient, Func<Http2StreamReader> createReader)
    {
        _isClient = isClient;
        _createReader = createReader;
    }

    /// <summary>Client: the request asked for h2c. Server: it answered 101.</summary>
    public bool Upgraded { get; private set; }

    /// <summary>True once the head was read whole (upgrade or not).</summary>
    public bool HeadComplete { get; private set; }

    public bool Feed(ReadOnlySpan<byte> data, long ticks)
    {
        if (_http2 is not null)
        {
            return _http2.Feed(data, ticks);
        }
        if (_head is null)
        {
            return false;
        }
        var searchFrom = Math.Max(0, _fill - 3);
        var room = Math.Min(data.Length, MaxHead - _fill);
        if (_fill + room > _head.Length)
        {
            Array.Resize(ref _head, Math.Min(MaxHead, Math.Max(_head.Length * 2, _fill + room)));
        }
        data[..room].CopyTo(_head.AsSpan(_fill));
        _fill += room;
        var end = _head.AsSpan(searchFrom, _fill - searchFrom).IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            if (_fill >= MaxHead)
            {
                _head = null;
                return false;
            }
            return true;
        }
        var headLength = searchFrom + end + 4;
        var head = Encoding.ASCII.GetString(_head, 0, headLength);
        HeadComplete = true;
        Upgraded = _isClient
            ? head.Contains("\nupgrade: h2c", StringComparison.OrdinalIgnoreCase)
            : head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal);
        // Bytes after the head that arrived in this chunk: the head ended inside data at this offset.
        var consumedFromData = headLength - (_fill - room);
        _head = null;
        if (!Upgraded)
        {
            return false;
        }
        _http2 = _createReader();
        return consumedFromData >= data.Length || _http2.Feed(data[consumedFromData..], ticks);
    }
}
