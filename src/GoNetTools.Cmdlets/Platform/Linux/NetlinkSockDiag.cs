using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Dumps TCP sockets over NETLINK_SOCK_DIAG with inet_diag_req_v2, the kernel filtering by state mask (so a
/// TIME_WAIT query never copies ESTABLISHED rows). Reads the network namespace of the calling process.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe class NetlinkSockDiag
{
    private const int IPPROTO_TCP = 6;
    private const ushort NLM_F_REQUEST = 0x1;
    private const ushort NLM_F_DUMP = 0x300;
    private const int RequestLength = 16 + 56;
    private const int ReceiveBufferLength = 256 * 1024;

    /// <summary>Opens the netlink socket; throws GoNetToolsException when netlink is unavailable (the caller falls back to /proc).</summary>
    public static SafeFdHandle Open()
    {
        int fd = LinuxNative.socket(LinuxNative.AF_NETLINK, LinuxNative.SOCK_DGRAM | LinuxNative.SOCK_CLOEXEC, LinuxNative.NETLINK_SOCK_DIAG);
        if (fd < 0)
        {
            throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.ResourceUnavailable,
                $"NETLINK_SOCK_DIAG socket failed: {LinuxNative.LastError()}.");
        }
        var handle = new SafeFdHandle(fd);
        int size = 4 * 1024 * 1024;
        LinuxNative.setsockopt(handle, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUF, &size, sizeof(int));
        return handle;
    }

    /// <summary>Streams the sockets of one family (2 = AF_INET, 10 = AF_INET6) matching the state mask.</summary>
    public static IEnumerable<TcpConnection> Dump(SafeFdHandle fd, byte family, uint stateMask, bool includeInfo, Action<string> warn)
    {
        SendRequest(fd, family, stateMask, includeInfo);
        var parser = new InetDiagParser();
        var buffer = new byte[ReceiveBufferLength];
        while (true)
        {
            int received = Receive(fd, buffer);
            int offset = 0;
            while (offset < received)
            {
                var kind = parser.Next(buffer.AsSpan(0, received), ref offset, includeInfo, out var row, out int errno);
                switch (kind)
                {
                    case InetDiagParser.MessageKind.Socket:
                        yield return row!;
                        break;
                    case InetDiagParser.MessageKind.Done:
                        yield break;
                    case InetDiagParser.MessageKind.Error:
                        throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.OperationFailed,
                            $"The kernel refused the sock_diag dump: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                    case InetDiagParser.MessageKind.Malformed:
                        warn("Skipped a malformed NETLINK_SOCK_DIAG message.");
                        break;
                }
            }
        }
    }

    private static void SendRequest(SafeFdHandle fd, byte family, uint stateMask, bool includeInfo)
    {
        byte* request = stackalloc byte[RequestLength];
        var span = new Span<byte>(request, RequestLength);
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, RequestLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], InetDiagParser.SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NLM_F_REQUEST | NLM_F_DUMP);
        span[16] = family;
        span[17] = IPPROTO_TCP;
        span[18] = includeInfo ? (byte)(1 << (InetDiagParser.INET_DIAG_INFO - 1)) : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], stateMask);

        byte* address = stackalloc byte[12]; // sockaddr_nl: family, pad, pid 0 (the kernel), groups 0
        new Span<byte>(address, 12).Clear();
        address[0] = LinuxNative.AF_NETLINK;
        if (LinuxNative.sendto(fd, request, RequestLength, 0, address, 12) < 0)
        {
            throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.OperationFailed,
                $"Sending the sock_diag request failed: {LinuxNative.LastError()}.");
        }
    }

    private static int Receive(SafeFdHandle fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LinuxNative.recv(fd, p, buffer.Length, 0);
                if (n > 0)
                {
                    return (int)n;
                }
                if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4) // EINTR
                {
                    continue;
                }
                throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.OperationFailed,
                    n == 0 ? "The sock_diag socket closed before the dump ended." : $"Reading the sock_diag dump failed: {LinuxNative.LastError()}.");
            }
        }
    }
}
