using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// Hand-built packets for the odd cases a live capture rarely shows, and for the benchmark's 1M-packet
/// file: Ethernet (optionally VLAN-tagged) / Linux cooked / raw / loopback frames around IPv4 or IPv6 + TCP,
/// TLS hellos and HTTP/2 frames. Checksums are left zero (tshark does not verify them by default).
/// </summary>
public static class SyntheticPackets
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;

    /// <summary>IP + TCP header and payload (no link layer).</summary>
    public static byte[] Ip(IPAddress src, int srcPort, IPAddress dst, int dstPort, uint seq, uint ack, byte flags,
        ReadOnlySpan<byte> payload, ushort window = 65535, bool ipv6HopByHop = false)
    {
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), ack);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), window);
        payload.CopyTo(tcp.AsSpan(20));
        if (src.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var ip = new byte[20 + tcp.Length];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
            ip[6] = 0x40; // DF
            ip[8] = 64;
            ip[9] = 6;
            src.GetAddressBytes().CopyTo(ip, 12);
            dst.GetAddressBytes().CopyTo(ip, 16);
            tcp.CopyTo(ip, 20);
            return ip;
        }
        var ext = ipv6HopByHop ? 8 : 0;
        var ip6 = new byte[40 + ext + tcp.Length];
        ip6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip6.AsSpan(4), (ushort)(ext + tcp.Length));
        ip6[6] = ipv6HopByHop ? (byte)0 : (byte)6;
        ip6[7] = 64;
        src.GetAddressBytes().CopyTo(ip6, 8);
        dst.GetAddressBytes().CopyTo(ip6, 24);
        if (ipv6HopByHop)
        {
            ip6[40] = 6;    // next header: TCP
            ip6[41] = 0;    // (0 + 1) * 8 bytes
            ip6[42] = 1;    // PadN option filling the rest
            ip6[43] = 4;
        }
        tcp.CopyTo(ip6, 40 + ext);
        return ip6;
    }

    /// <summary>Ethernet II around an IP packet, with optional 802.1Q tags.</summary>
    public static byte[] Ethernet(byte[] ip, params ushort[] vlans)
    {
        var frame = new byte[14 + 4 * vlans.Length + ip.Length];
        frame[0] = 2;
        frame[6] = 2;
        frame[11] = 1;
        var at = 12;
        foreach (var vlan in vlans)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at + 2), vlan);
            at += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), (ushort)((ip[0] >> 4) == 6 ? 0x86DD : 0x0800));
        ip.CopyTo(frame, at + 2);
        return frame;
    }

    /// <summary>Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113).</summary>
    public static byte[] Sll(byte[] ip)
    {
        var frame = new byte[16 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 772); // ARPHRD_LOOPBACK
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)((ip[0] >> 4) == 6 ? 0x86DD : 0x0800));
        ip.CopyTo(frame, 16);
        return frame;
    }

    /// <summary>Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276).</summary>
    public static byte[] Sll2(byte[] ip)
    {
        var frame = new byte[20 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)((ip[0] >> 4) == 6 ? 0x86DD : 0x0800));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 772);
        ip.CopyTo(frame, 20);
        return frame;
    }

    /// <summary>BSD loopback (LINKTYPE_NULL 0): address family in host (little-endian) order.</summary>
    public static byte[] Null(byte[] ip)
    {
        var frame = new byte[4 + ip.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (ip[0] >> 4) == 6 ? 30u : 2u);
        ip.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A TLS record holding a ClientHello with SNI, ALPN and supported_versions.</summary>
    public static byte[] ClientHelloRecord(string sni, string[] alpn, int padding = 0)
    {
        var ext = new List<byte>();
        var name = Encoding.ASCII.GetBytes(sni);
        AddExtension(ext, 0, Vec16(Concat(new byte[] { 0 }, Vec16(name))));
        var protos = new List<byte>();
        foreach (var p in alpn)
        {
            protos.Add((byte)p.Length);
            protos.AddRange(Encoding.ASCII.GetBytes(p));
        }
        AddExtension(ext, 16, Vec16(protos.ToArray()));
        AddExtension(ext, 43, new byte[] { 6, 0x3a, 0x3a, 0x03, 0x04, 0x03, 0x03 }); // GREASE, 1.3, 1.2
        if (padding > 0)
        {
            AddExtension(ext, 21, new byte[padding]);
        }
        var body = new List<byte> { 3, 3 };
        body.AddRange(new byte[32]);
        body.Add(0);
        body.AddRange(Vec16(new byte[] { 0x13, 0x01, 0x13, 0x02, 0x0a, 0x0a, 0xc0, 0x2f })); // 3 suites + GREASE
        body.AddRange(new byte[] { 1, 0 });
        body.AddRange(Vec16(ext.ToArray()));
        return Record(22, Handshake(1, body.ToArray()));
    }

    /// <summary>A TLS record holding a ServerHello; TLS 1.3 via supported_versions, or TLS 1.2 with an ALPN choice.</summary>
    public static byte[] ServerHelloRecord(bool tls13, string? alpn)
    {
        var ext = new List<byte>();
        if (tls13)
        {
            AddExtension(ext, 43, new byte[] { 3, 4 });
        }
        if (alpn is not null)
        {
            AddExtension(ext, 16, Vec16(Concat(new[] { (byte)alpn.Length }, Encoding.ASCII.GetBytes(alpn))));
        }
        var body = new List<byte> { 3, 3 };
        body.AddRange(Enumerable(32, 7));
        body.Add(0);
        body.AddRange(new byte[] { 0x13, 0x01, 0 });
        body.AddRange(Vec16(ext.ToArray()));
        return Record(22, Handshake(2, body.ToArray()));
    }

    /// <summary>One HTTP/2 frame.</summary>
    public static byte[] Http2Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    public static byte[] GoAway(int lastStream, uint code, string debug)
    {
        var payload = new byte[8 + debug.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, lastStream);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), code);
        Encoding.ASCII.GetBytes(debug).CopyTo(payload, 8);
        return Http2Frame(7, 0, 0, payload);
    }

    public static byte[] RstStream(int stream, uint code)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, code);
        return Http2Frame(3, 0, stream, payload);
    }

    public static byte[] Record(byte type, byte[] fragment) => Concat(new byte[] { type, 3, 1, (byte)(fragment.Length >> 8), (byte)fragment.Length }, fragment);

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var p in parts)
        {
            all.AddRange(p);
        }
        return all.ToArray();
    }

    private static byte[] Handshake(byte type, byte[] body) =>
        Concat(new byte[] { type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length }, body);

    private static void AddExtension(List<byte> to, ushort type, byte[] data)
    {
        to.Add((byte)(type >> 8));
        to.Add((byte)type);
        to.AddRange(Vec16(data));
    }

    private static byte[] Vec16(byte[] data) => Concat(new[] { (byte)(data.Length >> 8), (byte)data.Length }, data);

    private static byte[] Enumerable(int count, byte value)
    {
        var bytes = new byte[count];
        Array.Fill(bytes, value);
        return bytes;
    }
}

/// <summary>Writes classic pcap files in either byte order, with micro- or nanosecond stamps.</summary>
public sealed class PcapFileWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _bigEndian;
    private readonly bool _nanos;
    private readonly byte[] _header = new byte[16];

    public PcapFileWriter(Stream stream, int linkType, bool bigEndian = false, bool nanos = false, int snapLength = 262144)
    {
        _stream = stream;
        _bigEndian = bigEndian;
        _nanos = nanos;
        var header = new byte[24];
        U32(header, 0, nanos ? 0xa1b23c4d : 0xa1b2c3d4);
        U16(header, 4, 2);
        U16(header, 6, 4);
        U32(header, 16, (uint)snapLength);
        U32(header, 20, (uint)linkType);
        _stream.Write(header);
    }

    /// <summary>Writes one packet; <paramref name="capturedLength"/> shorter than the data models a snap-length cut.</summary>
    public void Write(DateTime time, ReadOnlySpan<byte> data, int? capturedLength = null)
    {
        var ticks = time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        var captured = capturedLength ?? data.Length;
        U32(_header, 0, (uint)(ticks / 10_000_000));
        U32(_header, 4, (uint)(_nanos ? ticks % 10_000_000 * 100 : ticks % 10_000_000 / 10));
        U32(_header, 8, (uint)captured);
        U32(_header, 12, (uint)data.Length);
        _stream.Write(_header);
        _stream.Write(data[..captured]);
    }

    public void Dispose() => _stream.Dispose();

    private void U32(byte[] b, int at, uint v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }

    private void U16(byte[] b, int at, ushort v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        }
    }
}
