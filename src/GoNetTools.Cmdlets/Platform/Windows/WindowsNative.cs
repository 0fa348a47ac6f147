using System;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace GoNetTools.Platform.Windows;

/// <summary>GetTcpStatisticsEx2 (or Ex) for one family into a 72-byte buffer; <paramref name="is64"/> tells the layout.</summary>
internal delegate uint TcpStatisticsCall(uint addressFamily, byte[] buffer, out bool is64);

/// <summary>
/// The iphlpapi calls the Windows TCP back-end makes. These functions return their Win32 error code instead of
/// setting the thread's last error, so SetLastError stays false and callers look at the return value.
/// </summary>
[SupportedOSPlatform("windows")]
internal static unsafe class WindowsNative
{
    /// <summary>TCP_TABLE_OWNER_PID_ALL: every socket (listeners included) with its owning pid.</summary>
    public const int TcpTableOwnerPidAll = 5;

    [DllImport("iphlpapi.dll", SetLastError = false, ExactSpelling = true)]
    private static extern uint GetExtendedTcpTable(nint table, ref uint size, int order, uint addressFamily, int tableClass, uint reserved);

    [DllImport("iphlpapi.dll", SetLastError = false, ExactSpelling = true)]
    private static extern uint GetTcpStatisticsEx2(byte* statistics, uint addressFamily);

    [DllImport("iphlpapi.dll", SetLastError = false, ExactSpelling = true)]
    private static extern uint GetTcpStatisticsEx(byte* statistics, uint addressFamily);

    /// <summary>The sized call <see cref="GrowingTableCall"/> retries: one family's owner-pid table.</summary>
    public static SizedNativeCall ExtendedTcpTable(uint addressFamily) =>
        (nint buffer, ref uint size) => GetExtendedTcpTable(buffer, ref size, order: 0, addressFamily, TcpTableOwnerPidAll, 0);

    /// <summary>
    /// MIB_TCPSTATS2 for one family into <paramref name="buffer"/>. GetTcpStatisticsEx2 exists from Windows 10
    /// 1709; on older systems (Server 2016 runs PowerShell 7) the 32-bit MIB_TCPSTATS is read instead and
    /// <paramref name="is64"/> says which layout the bytes follow.
    /// </summary>
    public static uint TcpStatistics(uint addressFamily, byte[] buffer, out bool is64)
    {
        fixed (byte* pointer = buffer)
        {
            try
            {
                is64 = true;
                return GetTcpStatisticsEx2(pointer, addressFamily);
            }
            catch (EntryPointNotFoundException)
            {
                is64 = false;
                return GetTcpStatisticsEx(pointer, addressFamily);
            }
        }
    }
}
