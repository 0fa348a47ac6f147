using System;
using System.Collections.Generic;
using System.Text;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Text;

namespace GoNetTools.Analysis.Tls;

/// <summary>
/// ClientHello and ServerHello bodies (RFC 8446 4.1.2 / 4.1.3, RFC 5246 7.4.1). Pure, never throws: a body
/// cut short yields what was read, marked incomplete.
/// </summary>
internal static class TlsHelloParser
{
    public const byte ClientHelloType = 1;
    public const byte ServerHelloType = 2;
    private const ushort ExtServerName = 0;
    private const ushort ExtAlpn = 16;
    private const ushort ExtSupportedVersions = 43;

    private static ReadOnlySpan<byte> HelloRetryRandom => new byte[]
    {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    };

    /// <summary>Parses a ClientHello body (after the 4-byte handshake header).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ClientHelloInfo ParseClientHello(ReadOnlySpan<byte> body)
    {
        var info = new ClientHelloInfo();
        var c = new SpanCursor(body);
        if (!c.TryU16(out var legacyVersion) || !c.TryBytes(32, out _) || !c.TryVector(1, out _))
        {
            info.Incomplete = true;
            return info;
        }
        info.OfferedVersions = new[] { TlsVersions.Name(legacyVersion) };
        if (!c.TryVector(2, out var suites))
        {
            info.Incomplete = true;
            return info;
        }
        for (var i = 0; i + 1 < suites.Length; i += 2)
        {
            if (!TlsVersions.IsGrease((ushort)((suites[i] << 8) | suites[i + 1])))
            {
                info.CipherSuiteCount++;
            }
        }
        if (!c.TryVector(1, out _))
        {
            info.Incomplete = true;
            return info;
        }
        if (c.Remaining == 0)
        {
            return info; // no extensions: an old client
        }
        if (!c.TryVector(2, out var extensions))
        {
            info.Incomplete = true;
            extensions = c.TakeRest(); // the vector was cut short: read the extensions that are whole
        }
        ReadClientExtensions(extensions, info);
        return info;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadClientExtensions(ReadOnlySpan<byte> extensions, ClientHelloInfo info)
    {
        var c = new SpanCursor(extensions);
        while (c.Remaining >= 4)
        {
            if (!c.TryU16(out var type) || !c.TryVector(2, out var data))
            {
                info.Incomplete = true;
                return;
            }
            var d = new SpanCursor(data);
            switch (type)
            {
                case ExtServerName when d.TryVector(2, out var list):
                {
                    var names = new SpanCursor(list);
                    while (names.TryU8(out var nameType) && names.TryVector(2, out var name))
                    {
                        if (nameType == 0)
                        {
                            info.Sni = WireText.Escape(name);
                            info.SniBytes = name.ToArray();
                            break;
                        }
                    }
                    break;
                }
                case ExtAlpn when d.TryVector(2, out var protocols):
                    info.AlpnOffered = SpanCursor.ReadAlpnList(protocols).ToArray();
                    break;
                case ExtSupportedVersions when d.TryVector(1, out var versions):
                {
                    var offered = new List<string>();
                    for (var i = 0; i + 1 < versions.Length; i += 2)
                    {
                        var v = (ushort)((versions[i] << 8) | versions[i + 1]);
                        if (!TlsVersions.IsGrease(v))
                        {
                            offered.Add(TlsVersions.Name(v));
                        }
                    }
                    info.OfferedVersions = offered.ToArray();
                    break;
                }
            }
        }
    }

    /// <summary>Parses a ServerHello body (after the 4-byte handshake header); null when too short to say anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ServerHelloInfo? ParseServerHello(ReadOnlySpan<byte> body)
    {
        var c = new SpanCursor(body);
        if (!c.TryU16(out var legacyVersion) || !c.TryBytes(32, out var random) || !c.TryVector(1, out _) || !c.TryU16(out var suite))
        {
            return null;
        }
        var info = new ServerHelloInfo
        {
            Version = TlsVersions.Name(legacyVersion),
            CipherSuite = suite,
            IsHelloRetryRequest = random.SequenceEqual(HelloRetryRandom),
        };
        if (!c.TryU8(out _) || !c.TryVector(2, out var extensions))
        {
            return info;
        }
        var e = new SpanCursor(extensions);
        while (e.TryU16(out var type) && e.TryVector(2, out var data))
        {
            var d = new SpanCursor(data);
            if (type == ExtSupportedVersions && d.TryU16(out var selected))
            {
                info.Version = TlsVersions.Name(selected);
            }
            else if (type == ExtAlpn && d.TryVector(2, out var list))
            {
                var names = SpanCursor.ReadAlpnList(list);
                info.AlpnSelected = names.Count > 0 ? names[0] : null;
            }
        }
        return info;
    }
}
