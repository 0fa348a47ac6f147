using System;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>The few libc calls the Linux back-ends make. errno is turned into text by <see cref="LastError"/>.</summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class LinuxNative
{
    public const int AF_NETLINK = 16;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_SOCK_DIAG = 4;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;

    [DllImport("libc", SetLastError = true)]
    public static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    public static extern nint sendto(SafeFdHandle fd, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [DllImport("libc", SetLastError = true)]
    public static extern nint recv(SafeFdHandle fd, byte* buffer, nint length, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int setsockopt(SafeFdHandle fd, int level, int name, int* value, int length);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    /// <summary>errno of the last call, as "message (errno N)".</summary>
    public static string LastError() => Foundation.Files.PosixFiles.LastError();
}

/// <summary>A file descriptor owned by managed code, closed exactly once.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    protected override bool ReleaseHandle() => LinuxNative.close(handle.ToInt32()) == 0;
}
