using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Text;

namespace GoNetTools.Analysis.Tls;

/// <summary>What a ClientHello offers.</summary>
internal sealed class ClientHelloInfo
{
    /// <summary>server_name with anything but printable ASCII escaped (\\xNN): safe to print.</summary>
    public string? Sni { get; set; }
    /// <summary>server_name exactly as sent.</summary>
    public byte[]? SniBytes { get; set; }
    public string[] AlpnOffered { get; set; } = Array.Empty<string>();
    /// <summary>supported_versions (GREASE removed), else the legacy version alone.</summary>
    public string[] OfferedVersions { get; set; } = Array.Empty<string>();
    public int CipherSuiteCount { get; set; }
    /// <summary>True when the body ran out before every field was read (snap length, bad bytes).</summary>
    public bool Incomplete { get; set; }
}

/// <summary>What a ServerHello answers.</summary>
internal sealed class ServerHelloInfo
{
    /// <summary>The negotiated version: supported_versions when present (TLS 1.3), else the legacy field.</summary>
    public string Version { get; set; } = "";
    /// <summary>ALPN from the ServerHello itself: only TLS 1.2 and older put it there.</summary>
    public string? AlpnSelected { get; set; }
    public ushort CipherSuite { get; set; }
    /// <summary>RFC 8446 4.1.3: a ServerHello whose random is this fixed value is a HelloRetryRequest.</summary>
    public bool IsHelloRetryRequest { get; set; }
}

/// <summary>Names for TLS protocol versions on the wire.</summary>
internal static class TlsVersions
{
    public static string Name(ushort version) => version switch
    {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ when (version & 0xFF00) == 0x7F00 => $"TLS 1.3 draft {version & 0xFF}",
        _ => $"0x{version:x4}",
    };

    /// <summary>RFC 8701 GREASE values (0x?A?A with equal bytes) are noise, not offers.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}

/// <summary>A bounds-checked forward cursor: every read says whether the bytes were there.</summary>
internal ref struct SpanCursor
{
    private ReadOnlySpan<byte> _rest;

    public SpanCursor(ReadOnlySpan<byte> bytes) => _rest = bytes;

    public readonly int Remaining => _rest.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryU8(out byte value)
    {
        value = 0;
        if (_rest.Length < 1)
        {
            return false;
        }
        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryU16(out ushort value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }
        value = (ushort)((_rest[0] << 8) | _rest[1]);
        _rest = _rest[2..];
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (count < 0 || _rest.Length < count)
        {
            return false;
        }
        bytes = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    /// <summary>A length-prefixed vector (1 or 2 byte length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryVector(int lengthBytes, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        int length;
        if (lengthBytes == 1)
        {
            if (!TryU8(out var l1))
            {
                return false;
            }
            length = l1;
        }
        else
        {
            if (!TryU16(out var l2))
            {
                return false;
            }
            length = l2;
        }
        return TryBytes(length, out bytes);
    }

    /// <summary>Takes whatever is left (for a vector cut short by a truncated capture).</summary>
    public ReadOnlySpan<byte> TakeRest()
    {
        var rest = _rest;
        _rest = default;
        return rest;
    }

    internal static List<string> ReadAlpnList(ReadOnlySpan<byte> list)
    {
        var names = new List<string>();
        var cursor = new SpanCursor(list);
        while (cursor.Remaining > 0 && cursor.TryVector(1, out var name))
        {
            names.Add(WireText.Escape(name));
        }
        return names;
    }
}
