using System;
using System.Runtime.InteropServices;

namespace GoNetTools.Capture;

/// <summary>
/// Waits for packets without blocking forever. On Linux, libpcap's TPACKET_V3 ring only wakes a blocking read when
/// the kernel retires a block, and it never retires an empty one: with no traffic pcap_next_ex would block for
/// ever, and Stop, -Duration and the one-second flush would never run. So on Unix the handle is non-blocking and
/// this waits on pcap_get_selectable_fd with poll(2) and a timeout. Npcap's read timeout works as documented, so
/// on Windows reads block with that timeout and no wait is needed.
/// </summary>
internal sealed unsafe class PcapWait
{
    private const short PollIn = 0x1;
    private readonly int _fd;

    private PcapWait(int fd) => _fd = fd;

    /// <summary>For a device opened by SharpPcap; null on Windows (no wait needed).</summary>
    public static PcapWait? For(string libraryName, SafeHandle pcapHandle)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var library = NativeLibrary.Load(libraryName);
        var getFd = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "pcap_get_selectable_fd");
        var added = false;
        pcapHandle.DangerousAddRef(ref added);
        try
        {
            var fd = getFd(pcapHandle.DangerousGetHandle());
            return fd < 0 ? null : new PcapWait(fd);
        }
        finally
        {
            if (added)
            {
                pcapHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Waits up to timeoutMs for the capture descriptor to become readable.</summary>
    public void Wait(int timeoutMs)
    {
        var pfd = new PollFd { Fd = _fd, Events = PollIn };
        _ = poll(&pfd, 1, timeoutMs);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int poll(PollFd* fds, nuint count, int timeoutMs);
}
