using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>One HTTP/2 frame as received: type, flags, stream and payload.</summary>
public sealed record RawHttp2Frame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8;
    public bool EndStream => (Flags & 0x1) != 0;
    public uint ErrorCode => Type == RstStream ? BinaryPrimitives.ReadUInt32BigEndian(Payload) : Type == GoAway ? BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)) : 0;
    public int LastStreamId => (int)(BinaryPrimitives.ReadUInt32BigEndian(Payload) & 0x7fff_ffff);
}

/// <summary>
/// A deliberately small HTTP/2 client for tests that must see frames (GOAWAY, RST_STREAM, SETTINGS) rather
/// than what HttpClient makes of them. Requests are HEADERS with HPACK literals (no Huffman, no table);
/// responses are read frame by frame. Over TLS it offers only "h2" in ALPN; cleartext uses prior knowledge.
/// </summary>
public sealed class RawHttp2Client : IDisposable
{
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly string _authority;
    private readonly string _scheme;
    private int _nextStream = 1;

    public RawHttp2Client(Uri baseUrl, string? caPemPath)
    {
        _tcp = new TcpClient();
        _tcp.Connect(baseUrl.Host, baseUrl.Port);
        _authority = baseUrl.Authority;
        _scheme = baseUrl.Scheme;
        Stream stream = _tcp.GetStream();
        if (baseUrl.Scheme == "https")
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath!));
            var ssl = new SslStream(stream, false);
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = baseUrl.Host,
                ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2 },
                RemoteCertificateValidationCallback = (_, cert, _, _) => Trusts(ca, cert),
            });
            NegotiatedProtocol = ssl.NegotiatedApplicationProtocol.ToString();
            stream = ssl;
        }
        _stream = stream;
        _stream.ReadTimeout = 10_000;
        _stream.Write(Preface);
        WriteFrame(RawHttp2Frame.Settings, 0, 0, Array.Empty<byte>());
    }

    public string? NegotiatedProtocol { get; }

    /// <summary>Every frame received so far, in order.</summary>
    public List<RawHttp2Frame> Received { get; } = new();

    /// <summary>Sends GET path on a new stream; returns its id.</summary>
    public int Get(string path)
    {
        var id = _nextStream;
        _nextStream += 2;
        var block = new MemoryStream();
        Literal(block, ":method", "GET");
        Literal(block, ":scheme", _scheme);
        Literal(block, ":authority", _authority);
        Literal(block, ":path", path);
        WriteFrame(RawHttp2Frame.Headers, 0x5 /* END_STREAM | END_HEADERS */, id, block.ToArray());
        return id;
    }

    /// <summary>Sends WINDOW_UPDATE (stream 0: the connection window); a client that never does stalls big responses at 65,535 bytes.</summary>
    public void WindowUpdate(int streamId, int increment)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, increment & 0x7fff_ffff);
        WriteFrame(RawHttp2Frame.WindowUpdate, 0, streamId, payload);
    }

    /// <summary>Reads frames until the stream ends (END_STREAM or RST_STREAM) or the connection closes; returns that last frame.</summary>
    public RawHttp2Frame? ReadUntilStreamEnds(int streamId)
    {
        while (ReadFrame() is { } frame)
        {
            if (frame.StreamId == streamId && (frame.EndStream && frame.Type is RawHttp2Frame.Data or RawHttp2Frame.Headers || frame.Type == RawHttp2Frame.RstStream))
            {
                return frame;
            }
        }
        return null;
    }

    /// <summary>Reads frames until the server closes the connection (or the read times out); false on timeout.</summary>
    public bool ReadUntilClosed()
    {
        try
        {
            while (ReadFrame() is not null)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public RawHttp2Frame? ReadFrame()
    {
        var header = new byte[9];
        if (!ReadExactly(header))
        {
            return null;
        }
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        if (!ReadExactly(payload))
        {
            return null;
        }
        var frame = new RawHttp2Frame(header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff), payload);
        Received.Add(frame);
        if (frame.Type == RawHttp2Frame.Settings && (frame.Flags & 0x1) == 0)
        {
            WriteFrame(RawHttp2Frame.Settings, 0x1, 0, Array.Empty<byte>());
        }
        return frame;
    }

    /// <summary>A SETTINGS value the server sent (RFC 9113 §6.5.2), or null.</summary>
    public uint? ServerSetting(ushort id)
    {
        foreach (var f in Received)
        {
            if (f.Type != RawHttp2Frame.Settings || (f.Flags & 0x1) != 0)
            {
                continue;
            }
            for (var i = 0; i + 6 <= f.Payload.Length; i += 6)
            {
                if (BinaryPrimitives.ReadUInt16BigEndian(f.Payload.AsSpan(i)) == id)
                {
                    return BinaryPrimitives.ReadUInt32BigEndian(f.Payload.AsSpan(i + 2));
                }
            }
        }
        return null;
    }

    private bool ReadExactly(byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = _stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    private void WriteFrame(byte type, byte flags, int stream, byte[] payload)
    {
        var header = new byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(5), stream);
        _stream.Write(header);
        _stream.Write(payload);
        _stream.Flush();
    }

    /// <summary>HPACK "literal header field without indexing, new name" (RFC 7541 §6.2.2), lengths &lt; 127.</summary>
    private static void Literal(Stream s, string name, string value)
    {
        s.WriteByte(0);
        s.WriteByte((byte)name.Length);
        s.Write(Encoding.ASCII.GetBytes(name));
        s.WriteByte((byte)value.Length);
        s.Write(Encoding.ASCII.GetBytes(value));
    }

    internal static bool Trusts(X509Certificate2 ca, X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
