using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using GoNetTools.Platform;
using GoNetTools.Platform.Linux;
using Xunit;

namespace GoNetTools.Tests.Tcp;

/// <summary>
/// The netlink reply parser on messages laid out as the kernel writes them (nlmsghdr, inet_diag_msg, rtattr);
/// the live path is covered by the namespace tests, which compare with ss.
/// </summary>
public sealed class InetDiagParserTests
{
    private static byte[] Message(byte family, byte state, IPAddress src, int sport, IPAddress dst, int dport, uint expiresMs, uint inode, byte[]? tcpInfo = null)
    {
        int attrLength = tcpInfo is null ? 0 : 4 + tcpInfo.Length;
        int length = 16 + 72 + ((attrLength + 3) & ~3);
        var m = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), InetDiagParser.SOCK_DIAG_BY_FAMILY);
        var body = m.AsSpan(16);
        body[0] = family;
        body[1] = state;
        BinaryPrimitives.WriteUInt16BigEndian(body[4..], (ushort)sport);
        BinaryPrimitives.WriteUInt16BigEndian(body[6..], (ushort)dport);
        src.GetAddressBytes().CopyTo(body[8..]);
        dst.GetAddressBytes().CopyTo(body[24..]);
        BinaryPrimitives.WriteUInt32LittleEndian(body[52..], expiresMs);
        BinaryPrimitives.WriteUInt32LittleEndian(body[64..], 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(body[68..], inode);
        if (tcpInfo is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body[72..], (ushort)attrLength);
            BinaryPrimitives.WriteUInt16LittleEndian(body[74..], InetDiagParser.INET_DIAG_INFO);
            tcpInfo.CopyTo(body[76..]);
        }
        return m;
    }

    private static byte[] Done()
    {
        var m = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), InetDiagParser.NLMSG_DONE);
        return m;
    }

    private static List<(InetDiagParser.MessageKind Kind, TcpConnection? Row)> ParseAll(byte[] buffer, bool includeInfo = false)
    {
        var parser = new InetDiagParser();
        var result = new List<(InetDiagParser.MessageKind, TcpConnection?)>();
        int offset = 0;
        while (offset < buffer.Length)
        {
            var kind = parser.Next(buffer, ref offset, includeInfo, out var row, out _);
            result.Add((kind, row));
        }
        return result;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var p in parts)
        {
            all.AddRange(p);
        }
        return all.ToArray();
    }

    [SkippableFact]
    public void Time_wait_rows_carry_network_order_ports_and_remaining_time()
    {
        var buffer = Concat(
            Message(2, 6, IPAddress.Parse("127.0.0.1"), 40000, IPAddress.Parse("127.0.0.2"), 443, 59_000, 0),
            Message(10, 6, IPAddress.Parse("::1"), 40001, IPAddress.Parse("2001:db8::1"), 8443, 1_500, 0),
            Done());

        var parsed = ParseAll(buffer);

        Assert.Equal(InetDiagParser.MessageKind.Done, parsed[^1].Kind);
        var v4 = parsed[0].Row!;
        Assert.Equal(("127.0.0.1", 40000, "127.0.0.2", 443), (v4.LocalAddress, v4.LocalPort, v4.RemoteAddress, v4.RemotePort));
        Assert.Equal(GoNetTools.TcpState.TimeWait, v4.State);
        Assert.Equal(TimeSpan.FromSeconds(59), v4.TimeWaitRemaining);
        var v6 = parsed[1].Row!;
        Assert.Equal(("::1", "2001:db8::1", 8443, IPFamily.IPv6), (v6.LocalAddress, v6.RemoteAddress, v6.RemotePort, v6.AddressFamily));
    }

    [SkippableFact]
    public void Tcp_info_attribute_is_decoded_for_established_rows()
    {
        var info = new byte[232];
        info[2] = 1; // tcpi_retransmits
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(8), 204_000);   // rto µs
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(68), 1_250);    // rtt µs
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(80), 10);       // snd_cwnd
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(100), 3);       // total_retrans
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(120), 123_456); // bytes_acked
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(136), 77);      // segs_out

        var buffer = Concat(Message(2, 1, IPAddress.Loopback, 5000, IPAddress.Loopback, 6000, 0, 4242, info), Done());
        var row = ParseAll(buffer, includeInfo: true)[0].Row!;

        Assert.Equal(GoNetTools.TcpState.Established, row.State);
        Assert.Equal(4242UL, row.Inode);
        Assert.Null(row.TimeWaitRemaining);
        Assert.NotNull(row.Info);
        Assert.Equal(TimeSpan.FromMilliseconds(1.25), row.Info!.Rtt);
        Assert.Equal(TimeSpan.FromMilliseconds(204), row.Info.Rto);
        Assert.Equal(10u, row.Info.SndCwnd);
        Assert.Equal(1, row.Info.Retransmits);
        Assert.Equal(3u, row.Info.TotalRetrans);
        Assert.Equal(123_456UL, row.Info.BytesAcked);
        Assert.Equal(77u, row.Info.SegsOut);
    }

    [SkippableFact]
    public void Without_include_info_the_attribute_is_ignored()
    {
        var buffer = Message(2, 1, IPAddress.Loopback, 5000, IPAddress.Loopback, 6000, 0, 1, new byte[232]);
        Assert.Null(ParseAll(buffer)[0].Row!.Info);
    }

    [SkippableFact]
    public void Kernel_error_message_reports_the_errno()
    {
        var m = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), InetDiagParser.NLMSG_ERROR);
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(16), -13); // -EACCES
        int offset = 0;
        var kind = new InetDiagParser().Next(m, ref offset, false, out _, out int errno);
        Assert.Equal(InetDiagParser.MessageKind.Error, kind);
        Assert.Equal(13, errno);
    }

    [SkippableTheory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // length past the buffer
    [InlineData(new byte[] { 4, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]       // length shorter than a header
    [InlineData(new byte[] { 20, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 0, 0 })] // socket message too short
    public void Garbage_is_reported_as_malformed_never_thrown(byte[] garbage)
    {
        var parsed = ParseAll(garbage);
        Assert.Contains(parsed, p => p.Kind == InetDiagParser.MessageKind.Malformed);
        Assert.All(parsed, p => Assert.Null(p.Row));
    }

    [SkippableFact]
    public void Unknown_family_is_malformed()
    {
        var parsed = ParseAll(Message(7, 6, IPAddress.Loopback, 1, IPAddress.Loopback, 2, 0, 0));
        Assert.Equal(InetDiagParser.MessageKind.Malformed, parsed[0].Kind);
    }

    [SkippableFact]
    public void Kernel_state_mask_has_one_bit_per_wanted_state()
    {
        Assert.Equal(1u << 6, LinuxTcpStates.Mask(new TcpStateQuery { States = new[] { GoNetTools.TcpState.TimeWait } }));
        Assert.Equal((1u << 1) | (1u << 10), LinuxTcpStates.Mask(new TcpStateQuery { States = new[] { GoNetTools.TcpState.Established, GoNetTools.TcpState.Listen } }));
        // SynReceived asks for both SYN_RECV (3) and NEW_SYN_RECV request sockets (12), as ss shows both.
        Assert.Equal((1u << 3) | (1u << 12), LinuxTcpStates.Mask(new TcpStateQuery { States = new[] { GoNetTools.TcpState.SynReceived } }));
        Assert.Equal(uint.MaxValue, LinuxTcpStates.Mask(new TcpStateQuery()));
    }
}
