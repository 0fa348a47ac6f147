using System;
using System.Runtime.InteropServices;

namespace GoNetTools.Capture;

/// <summary>
/// The two libpcap calls we make ourselves, on the handle SharpPcap opened:
/// <list type="bullet">
/// <item>pcap_stats. SharpPcap 6.3.1 marshals struct pcap_stat on Unix as three pointer-sized fields, but libpcap
/// declares three u_int: on 64-bit Linux its DroppedPackets is really ps_ifdrop and ps_drop is lost. Honest drop
/// accounting needs the real struct, so we read it here (Npcap appends ps_capt, hence the 16-byte buffer).</item>
/// <item>pcap_get_selectable_fd + poll(2). libpcap's TPACKET_V3 ring on Linux only wakes a blocking read when the
/// kernel retires a block, and it never retires an empty one: with no traffic pcap_next_ex would block for ever and
/// Stop, -Duration and the one-second flush would never run. So on Unix the handle is non-blocking and we wait on
/// the descriptor with a timeout. Npcap's read timeout works as documented: on Windows reads block with it.</item>
/// </list>
/// </summary>
internal sealed unsafe class PcapNative
{
    private const short PollIn = 0x1;
    private readonly delegate* unmanaged<IntPtr, uint*, int> _stats;
    private readonly int _fd = -1;

    private PcapNative(IntPtr library, SafeHandle pcapHandle)
    {
        _stats = (delegate* unmanaged<IntPtr, uint*, int>)NativeLibrary.GetExport(library, "pcap_stats");
        if (!OperatingSystem.IsWindows())
        {
            var getFd = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "pcap_get_selectable_fd");
            _fd = WithHandle(pcapHandle, h => getFd(h));
        }
    }

    /// <summary>True when reads are non-blocking and <see cref="Wait"/> does the waiting.</summary>
    public bool WaitsItself => _fd >= 0;

    /// <summary>For a device SharpPcap opened from the library the probe found.</summary>
    public static PcapNative For(string libraryName, SafeHandle pcapHandle) => new(NativeLibrary.Load(libraryName), pcapHandle);

    /// <summary>Waits up to timeoutMs for the capture descriptor to become readable (no-op on Windows).</summary>
    public void Wait(int timeoutMs)
    {
        if (_fd < 0)
        {
            return;
        }
        var pfd = new PollFd { Fd = _fd, Events = PollIn };
        _ = poll(&pfd, 1, timeoutMs);
    }

    /// <summary>pcap_stats: ps_recv, ps_drop (kernel buffer full), ps_ifdrop (interface/driver); null when the device has none.</summary>
    public (uint Received, uint Dropped, uint InterfaceDropped)? Statistics(SafeHandle pcapHandle)
    {
        var stats = _stats;
        return WithHandle(pcapHandle, h =>
        {
            uint* buffer = stackalloc uint[4];
            return stats(h, buffer) == 0 ? (buffer[0], buffer[1], buffer[2]) : ((uint, uint, uint)?)null;
        });
    }

    private static T WithHandle<T>(SafeHandle handle, Func<IntPtr, T> call)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return call(handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
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
