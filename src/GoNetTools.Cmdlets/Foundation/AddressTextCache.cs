using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;

namespace GoNetTools.Foundation;

/// <summary>
/// Turns raw address bytes into text once per distinct address: a socket table holds few distinct addresses
/// and many rows, so rows share the strings (the main saving in bytes per TIME_WAIT row).
/// </summary>
internal sealed class AddressTextCache
{
    private readonly Dictionary<uint, string> _v4 = new();
    private readonly Dictionary<(ulong, ulong), string> _v6 = new();

    /// <summary>4 bytes in network order.</summary>
    public string IPv4(ReadOnlySpan<byte> address)
    {
        uint key = BinaryPrimitives.ReadUInt32BigEndian(address);
        if (!_v4.TryGetValue(key, out var text))
        {
            text = new IPAddress(address).ToString();
            _v4[key] = text;
        }
        return text;
    }

    /// <summary>16 bytes in network order.</summary>
    public string IPv6(ReadOnlySpan<byte> address)
    {
        var key = (BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]));
        if (!_v6.TryGetValue(key, out var text))
        {
            text = new IPAddress(address).ToString();
            _v6[key] = text;
        }
        return text;
    }
}
