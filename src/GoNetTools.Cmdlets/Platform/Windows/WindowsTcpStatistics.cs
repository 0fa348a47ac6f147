using System;
using System.Buffers.Binary;
using System.Collections.Specialized;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Reads MIB_TCPSTATS2 (GetTcpStatisticsEx2) and the older MIB_TCPSTATS bytes, and types the summed counters.
/// Pure: no P/Invoke. MIB_TCPSTATS2 (tcpmib.h), little-endian:
/// <code>
///  0 RtoAlgorithm   4 dwRtoMin      8 dwRtoMax      12 dwMaxConn     16 dwActiveOpens  20 dwPassiveOpens
/// 24 dwAttemptFails 28 dwEstabResets 32 dwCurrEstab  36 (padding: the next member is 8-byte aligned)
/// 40 dw64InSegs    48 dw64OutSegs   56 dwRetransSegs 60 dwInErrs     64 dwOutRsts      68 dwNumConns   = 72
/// </code>
/// MIB_TCPSTATS is the same list with 32-bit InSegs/OutSegs and no padding: 15 DWORDs, 60 bytes.
/// </summary>
internal static class WindowsTcpStatistics
{
    public const int Stats2Size = 72;
    public const int StatsSize = 60;

    /// <summary>Raw name of the TIME_WAIT population, counted from the socket table (Windows has no sockstat).</summary>
    public const string TimeWaitCountName = "TimeWaitCount";

    /// <summary>Stack settings rather than counts: taken from IPv4 and never summed (an RTO minimum does not add up).</summary>
    private static readonly string[] Settings = { "TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn" };

    /// <summary>
    /// The counters in one family's struct, by stable names (Tcp + the MIB member without its dw/dw64 prefix),
    /// or false when the bytes are too short for the layout.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, bool is64, out OrderedDictionary counters)
    {
        counters = new OrderedDictionary(StringComparer.Ordinal);
        if (bytes.Length < (is64 ? Stats2Size : StatsSize))
        {
            return false;
        }
        counters["TcpRtoAlgorithm"] = (long)U32(bytes, 0);
        counters["TcpRtoMin"] = (long)U32(bytes, 4);
        counters["TcpRtoMax"] = (long)U32(bytes, 8);
        // dwMaxConn is -1 when the limit is dynamic: read it signed so Raw says -1, not 4294967295.
        counters["TcpMaxConn"] = (long)BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        counters["TcpActiveOpens"] = (long)U32(bytes, 16);
        counters["TcpPassiveOpens"] = (long)U32(bytes, 20);
        counters["TcpAttemptFails"] = (long)U32(bytes, 24);
        counters["TcpEstabResets"] = (long)U32(bytes, 28);
        counters["TcpCurrEstab"] = (long)U32(bytes, 32);
        int tail = is64 ? 56 : 44;
        counters["TcpInSegs"] = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[40..]) : U32(bytes, 36);
        counters["TcpOutSegs"] = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[48..]) : U32(bytes, 40);
        counters["TcpRetransSegs"] = (long)U32(bytes, tail);
        counters["TcpInErrs"] = (long)U32(bytes, tail + 4);
        counters["TcpOutRsts"] = (long)U32(bytes, tail + 8);
        counters["TcpNumConns"] = (long)U32(bytes, tail + 12);
        return true;
    }

    /// <summary>Adds <paramref name="family"/>'s counters into <paramref name="total"/> (settings kept from the first family).</summary>
    public static void Add(OrderedDictionary total, OrderedDictionary family)
    {
        foreach (System.Collections.DictionaryEntry entry in family)
        {
            var name = (string)entry.Key;
            long value = (long)entry.Value!;
            if (total[name] is long existing)
            {
                if (Array.IndexOf(Settings, name) < 0)
                {
                    total[name] = unchecked(existing + value);
                }
            }
            else
            {
                total[name] = value;
            }
        }
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    /// <summary>
    /// Types the counters. Windows keeps no TcpExt-style counters, so those fields stay null; RetransmitRate is
    /// RetransSegs ÷ OutSegs because there is no OrigDataSent to divide by.
    /// </summary>
    public static TcpStatistic ToStatistic(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval, OrderedDictionary? rates) =>
        (TcpCounters.FromMib2Names(raw) with { TimeWaitCount = TcpCounters.Get(raw, TimeWaitCountName) })
            .ToStatistic(raw, timestamp, scope, interval, rates);
}
