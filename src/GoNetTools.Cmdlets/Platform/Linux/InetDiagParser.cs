using System;
using System.Buffers.Binary;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Parses NETLINK_SOCK_DIAG dump replies (a run of nlmsghdr + inet_diag_msg + rtattrs) into TcpConnection rows.
/// Pure: takes the bytes one recv() returned, so recorded dumps drive it in tests.
/// </summary>
internal sealed class InetDiagParser
{
    public const ushort SOCK_DIAG_BY_FAMILY = 20;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort INET_DIAG_INFO = 2;
    private const int NlMsgHeaderLength = 16;
    private const int InetDiagMsgLength = 72;

    private readonly AddressTextCache _addresses = new();

    /// <summary>What one message in the buffer was.</summary>
    public enum MessageKind { Socket, Done, Error, Other, Malformed }

    /// <summary>
    /// Reads the message at <paramref name="offset"/>; advances offset past it. For sockets, <paramref name="row"/> is set.
    /// For errors, <paramref name="errno"/> is the positive errno the kernel sent.
    /// </summary>
    public MessageKind Next(ReadOnlySpan<byte> buffer, ref int offset, bool includeInfo, out TcpConnection? row, out int errno)
    {
        row = null;
        errno = 0;
        if (buffer.Length - offset < NlMsgHeaderLength)
        {
            offset = buffer.Length;
            return MessageKind.Malformed;
        }
        var header = buffer[offset..];
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (length < NlMsgHeaderLength || length > header.Length)
        {
            offset = buffer.Length;
            return MessageKind.Malformed;
        }
        var body = header[NlMsgHeaderLength..length];
        offset += Align(length);
        switch (type)
        {
            case NLMSG_DONE:
                return MessageKind.Done;
            case NLMSG_ERROR:
                errno = body.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(body) : 0;
                return errno == 0 ? MessageKind.Other : MessageKind.Error;
            case SOCK_DIAG_BY_FAMILY when body.Length >= InetDiagMsgLength:
                row = ParseSocket(body, includeInfo);
                return row is null ? MessageKind.Malformed : MessageKind.Socket;
            case SOCK_DIAG_BY_FAMILY:
                return MessageKind.Malformed;
            default:
                return MessageKind.Other;
        }
    }

    private TcpConnection? ParseSocket(ReadOnlySpan<byte> msg, bool includeInfo)
    {
        byte family = msg[0];
        var state = LinuxTcpStates.FromKernel(msg[1]);
        // inet_diag_sockid: ports and addresses are in network byte order.
        int sport = BinaryPrimitives.ReadUInt16BigEndian(msg[4..]);
        int dport = BinaryPrimitives.ReadUInt16BigEndian(msg[6..]);
        uint expiresMs = BinaryPrimitives.ReadUInt32LittleEndian(msg[52..]);
        uint uid = BinaryPrimitives.ReadUInt32LittleEndian(msg[64..]);
        uint inode = BinaryPrimitives.ReadUInt32LittleEndian(msg[68..]);

        string local, remote;
        IPFamily ipFamily;
        if (family == 2)
        {
            ipFamily = IPFamily.IPv4;
            local = _addresses.IPv4(msg.Slice(8, 4));
            remote = _addresses.IPv4(msg.Slice(24, 4));
        }
        else if (family == 10)
        {
            ipFamily = IPFamily.IPv6;
            local = _addresses.IPv6(msg.Slice(8, 16));
            remote = _addresses.IPv6(msg.Slice(24, 16));
        }
        else
        {
            return null;
        }

        TcpConnectionInfo? info = null;
        if (includeInfo && state != TcpState.TimeWait)
        {
            var attrs = msg[InetDiagMsgLength..];
            while (attrs.Length >= 4)
            {
                int attrLength = BinaryPrimitives.ReadUInt16LittleEndian(attrs);
                ushort attrType = BinaryPrimitives.ReadUInt16LittleEndian(attrs[2..]);
                if (attrLength < 4 || attrLength > attrs.Length)
                {
                    break;
                }
                if (attrType == INET_DIAG_INFO)
                {
                    info = TcpInfoParser.Parse(attrs[4..attrLength]);
                }
                attrs = attrs[Math.Min(Align(attrLength), attrs.Length)..];
            }
        }

        return new TcpConnection
        {
            LocalAddress = local,
            LocalPort = sport,
            RemoteAddress = remote,
            RemotePort = dport,
            State = state,
            AddressFamily = ipFamily,
            // The kernel reports the remaining TIME_WAIT in ms; other timers are not TIME_WAIT.
            TimeWaitRemaining = state == TcpState.TimeWait ? TimeSpan.FromMilliseconds(expiresMs) : null,
            Uid = uid,
            Inode = inode,
            Info = info,
        };
    }

    private static int Align(int length) => (length + 3) & ~3;
}

/// <summary>Linux's TCP state numbers (include/net/tcp_states.h) and the netlink state mask built from them.</summary>
internal static class LinuxTcpStates
{
    public static TcpState FromKernel(int state) => state switch
    {
        1 => TcpState.Established,
        2 => TcpState.SynSent,
        3 => TcpState.SynReceived,
        4 => TcpState.FinWait1,
        5 => TcpState.FinWait2,
        6 => TcpState.TimeWait,
        7 => TcpState.Closed,
        8 => TcpState.CloseWait,
        9 => TcpState.LastAck,
        10 => TcpState.Listen,
        11 => TcpState.Closing,
        12 => TcpState.SynReceived, // TCP_NEW_SYN_RECV: a request socket, what ss shows as SYN-RECV
        13 => TcpState.BoundInactive,
        _ => TcpState.Unknown,
    };

    /// <summary>idiag_states: bit (1 &lt;&lt; kernel state) for each wanted state; all bits when none is named.</summary>
    public static uint Mask(TcpStateQuery query)
    {
        if (query.States is null || query.States.Count == 0)
        {
            return uint.MaxValue;
        }
        uint mask = 0;
        for (int kernel = 1; kernel <= 13; kernel++)
        {
            if (query.Wants(FromKernel(kernel)))
            {
                mask |= 1u << kernel;
            }
        }
        return mask;
    }
}
