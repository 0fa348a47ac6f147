using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using GoNetTools.Protocols.Text;

namespace GoNetTools.Protocols.Http2;

/// <summary>The 9-byte HTTP/2 frame header (RFC 9113 4.1).</summary>
internal readonly record struct Http2FrameHeader(int Length, byte Type, byte Flags, int StreamId);

/// <summary>Pure decoders for the HTTP/2 frame header and the payloads GoNetTools reports. Never throw.</summary>
internal static class Http2Frames
{
    public const int HeaderLength = 9;

    /// <summary>The client connection preface (RFC 9113 3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, out Http2FrameHeader header)
    {
        header = default;
        if (bytes.Length < HeaderLength)
        {
            return false;
        }
        var length = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
        // The reserved high bit of the stream id is ignored on receipt (RFC 9113 4.1).
        var stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]) & 0x7FFFFFFF);
        header = new Http2FrameHeader(length, bytes[3], bytes[4], stream);
        return true;
    }

    /// <summary>GOAWAY payload (RFC 9113 6.8): last stream id, error code, opaque debug data.</summary>
    public static bool TryReadGoAway(ReadOnlySpan<byte> payload, out int lastStreamId, out uint errorCode, out string debugData)
    {
        var ok = TryReadGoAwayBytes(payload, out lastStreamId, out errorCode, out var debug);
        debugData = ok ? WireText.Escape(debug) : "";
        return ok;
    }

    /// <summary>GOAWAY payload with the debug data as the raw bytes (the caller chooses how to show them).</summary>
    public static bool TryReadGoAwayBytes(ReadOnlySpan<byte> payload, out int lastStreamId, out uint errorCode, out ReadOnlySpan<byte> debugData)
    {
        lastStreamId = 0;
        errorCode = 0;
        debugData = default;
        if (payload.Length < 8)
        {
            return false;
        }
        lastStreamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF);
        errorCode = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        debugData = payload[8..];
        return true;
    }

    /// <summary>RST_STREAM payload (RFC 9113 6.4): one error code.</summary>
    public static bool TryReadRstStream(ReadOnlySpan<byte> payload, out uint errorCode)
    {
        errorCode = 0;
        if (payload.Length < 4)
        {
            return false;
        }
        errorCode = BinaryPrimitives.ReadUInt32BigEndian(payload);
        return true;
    }

    /// <summary>SETTINGS payload (RFC 9113 6.5.1): 6-byte identifier/value pairs; a ragged tail is ignored.</summary>
    public static List<KeyValuePair<ushort, uint>> ReadSettings(ReadOnlySpan<byte> payload)
    {
        var settings = new List<KeyValuePair<ushort, uint>>(payload.Length / 6);
        for (var i = 0; i + 6 <= payload.Length; i += 6)
        {
            settings.Add(new(BinaryPrimitives.ReadUInt16BigEndian(payload[i..]), BinaryPrimitives.ReadUInt32BigEndian(payload[(i + 2)..])));
        }
        return settings;
    }

    /// <summary>WINDOW_UPDATE payload (RFC 9113 6.9): the increment.</summary>
    public static bool TryReadWindowUpdate(ReadOnlySpan<byte> payload, out int increment)
    {
        increment = 0;
        if (payload.Length < 4)
        {
            return false;
        }
        increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF);
        return true;
    }

    /// <summary>Names from RFC 9113 6.5.2.</summary>
    public static string SettingName(ushort id) => id switch
    {
        1 => "HEADER_TABLE_SIZE",
        2 => "ENABLE_PUSH",
        3 => "MAX_CONCURRENT_STREAMS",
        4 => "INITIAL_WINDOW_SIZE",
        5 => "MAX_FRAME_SIZE",
        6 => "MAX_HEADER_LIST_SIZE",
        8 => "ENABLE_CONNECT_PROTOCOL",
        9 => "NO_RFC7540_PRIORITIES",
        _ => $"0x{id:x4}",
    };
}
