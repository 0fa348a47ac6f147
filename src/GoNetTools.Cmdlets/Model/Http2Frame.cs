using System;

namespace GoNetTools;

/// <summary>HTTP/2 frame types (RFC 9113 6). Values outside the list are unknown extension frames.</summary>
public enum Http2FrameType
{
    /// <summary>DATA.</summary>
    Data = 0,
    /// <summary>HEADERS (a request or response starts).</summary>
    Headers = 1,
    /// <summary>PRIORITY.</summary>
    Priority = 2,
    /// <summary>RST_STREAM: one stream ended abnormally.</summary>
    RstStream = 3,
    /// <summary>SETTINGS.</summary>
    Settings = 4,
    /// <summary>PUSH_PROMISE.</summary>
    PushPromise = 5,
    /// <summary>PING.</summary>
    Ping = 6,
    /// <summary>GOAWAY: the connection takes no new streams above LastStreamId.</summary>
    GoAway = 7,
    /// <summary>WINDOW_UPDATE.</summary>
    WindowUpdate = 8,
    /// <summary>CONTINUATION.</summary>
    Continuation = 9,
}

/// <summary>HTTP/2 error codes (RFC 9113 7).</summary>
public enum Http2ErrorCode : uint
{
    /// <summary>Graceful: e.g. a server's stream budget (GOAWAY NO_ERROR) — expected churn.</summary>
    NoError = 0x0,
    /// <summary>PROTOCOL_ERROR.</summary>
    ProtocolError = 0x1,
    /// <summary>INTERNAL_ERROR.</summary>
    InternalError = 0x2,
    /// <summary>FLOW_CONTROL_ERROR.</summary>
    FlowControlError = 0x3,
    /// <summary>SETTINGS_TIMEOUT.</summary>
    SettingsTimeout = 0x4,
    /// <summary>STREAM_CLOSED.</summary>
    StreamClosed = 0x5,
    /// <summary>FRAME_SIZE_ERROR.</summary>
    FrameSizeError = 0x6,
    /// <summary>REFUSED_STREAM: safe to retry.</summary>
    RefusedStream = 0x7,
    /// <summary>CANCEL.</summary>
    Cancel = 0x8,
    /// <summary>COMPRESSION_ERROR.</summary>
    CompressionError = 0x9,
    /// <summary>CONNECT_ERROR.</summary>
    ConnectError = 0xa,
    /// <summary>ENHANCE_YOUR_CALM.</summary>
    EnhanceYourCalm = 0xb,
    /// <summary>INADEQUATE_SECURITY.</summary>
    InadequateSecurity = 0xc,
    /// <summary>HTTP_1_1_REQUIRED.</summary>
    Http11Required = 0xd,
}

/// <summary>One HTTP/2 SETTINGS parameter.</summary>
public sealed class Http2Setting
{
    /// <summary>RFC 9113 name (MAX_CONCURRENT_STREAMS…) or the hex id.</summary>
    public string Name { get; init; } = "";
    /// <summary>The identifier on the wire.</summary>
    public int Id { get; init; }
    /// <summary>The value.</summary>
    public long Value { get; init; }

    /// <summary>"NAME=value".</summary>
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>One HTTP/2 frame from a cleartext (prior-knowledge or h2c) flow in a capture.</summary>
public sealed class Http2Frame
{
    /// <summary>When the segment completing the frame was captured (UTC).</summary>
    public DateTime Time { get; init; }
    /// <summary>Client endpoint, "address:port".</summary>
    public string Client { get; init; } = "";
    /// <summary>Server endpoint, "address:port".</summary>
    public string Server { get; init; } = "";
    /// <summary>Which way the frame went.</summary>
    public FlowDirection Direction { get; init; }
    /// <summary>Stream id (0 for connection frames).</summary>
    public int StreamId { get; init; }
    /// <summary>Frame type.</summary>
    public Http2FrameType Type { get; init; }
    /// <summary>Flag bits (END_STREAM 0x1, ACK 0x1 on SETTINGS/PING, END_HEADERS 0x4, PADDED 0x8, PRIORITY 0x20).</summary>
    public byte Flags { get; init; }
    /// <summary>Payload length.</summary>
    public int Length { get; init; }
    /// <summary>GOAWAY and RST_STREAM: the error code.</summary>
    public Http2ErrorCode? ErrorCode { get; init; }
    /// <summary>GOAWAY: the highest stream the sender will still process; streams above it are safe to retry.</summary>
    public int? LastStreamId { get; init; }
    /// <summary>GOAWAY: opaque debug data, non-printable bytes as '.'.</summary>
    public string? DebugData { get; init; }
    /// <summary>SETTINGS: the parameters (empty for an ACK).</summary>
    public Http2Setting[]? Settings { get; init; }
    /// <summary>WINDOW_UPDATE: the increment.</summary>
    public int? WindowIncrement { get; init; }
    /// <summary>The capture file.</summary>
    public string Path { get; init; } = "";

    /// <summary>"Type stream N".</summary>
    public override string ToString() => $"{Type} stream {StreamId}";
}
