using System;
using System.Buffers.Binary;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// struct tcp_info (include/uapi/linux/tcp.h), as INET_DIAG_INFO or getsockopt(TCP_INFO) returns it.
/// Older kernels send a shorter struct: fields past the end read as zero.
/// </summary>
internal static class TcpInfoParser
{
    public static TcpConnectionInfo Parse(ReadOnlySpan<byte> info) => new()
    {
        Retransmits = info.Length > 2 ? info[2] : 0,
        Rto = Micros(U32(info, 8)),
        LastDataSent = Millis(U32(info, 44)),
        LastDataReceived = Millis(U32(info, 52)),
        Rtt = Micros(U32(info, 68)),
        RttVar = Micros(U32(info, 72)),
        SndCwnd = U32(info, 80),
        TotalRetrans = U32(info, 100),
        BytesAcked = U64(info, 120),
        BytesReceived = U64(info, 128),
        SegsOut = U32(info, 136),
        SegsIn = U32(info, 140),
    };

    private static uint U32(ReadOnlySpan<byte> s, int offset) =>
        s.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32LittleEndian(s[offset..]) : 0;

    private static ulong U64(ReadOnlySpan<byte> s, int offset) =>
        s.Length >= offset + 8 ? BinaryPrimitives.ReadUInt64LittleEndian(s[offset..]) : 0;

    private static TimeSpan Micros(uint us) => TimeSpan.FromTicks(us * 10L);

    private static TimeSpan Millis(uint ms) => TimeSpan.FromMilliseconds(ms);
}
