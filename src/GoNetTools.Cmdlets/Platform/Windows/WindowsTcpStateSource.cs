using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows back-end: sockets from GetExtendedTcpTable (TCP_TABLE_OWNER_PID_ALL, IPv4 and IPv6), counters from
/// GetTcpStatisticsEx2 for both families, summed. The TIME_WAIT population is counted from the table because
/// Windows has no counter for it.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsTcpStateSource : ITcpStateSource
{
    private const uint AfInet = 2;
    private const uint AfInet6 = 23;

    private readonly Func<uint, SizedNativeCall> _tableCall;
    private readonly TcpStatisticsCall _statisticsCall;

    /// <summary>Reads the live stack through iphlpapi.</summary>
    public WindowsTcpStateSource() : this(WindowsNative.ExtendedTcpTable, WindowsNative.TcpStatistics)
    {
    }

    /// <summary>Reads through the given calls (tests pass fakes that answer with fixture bytes).</summary>
    internal WindowsTcpStateSource(Func<uint, SizedNativeCall> tableCall, TcpStatisticsCall statisticsCall)
    {
        _tableCall = tableCall;
        _statisticsCall = statisticsCall;
    }

    /// <inheritdoc />
    public string Scope => "host";

    /// <inheritdoc />
    public IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn)
    {
        if (query.IncludeInfo)
        {
            warn("tcp_info figures are not available from GetExtendedTcpTable; Info is empty on Windows.");
        }
        var addresses = new AddressTextCache();
        var names = query.ResolveOwners ? new ProcessNameCache() : null;
        foreach (var (family, name, table) in ReadTables(query.Family, warn))
        {
            foreach (var row in WindowsTcpTableParser.Parse(table, family, query, addresses, name, warn))
            {
                yield return names is null ? row : names.Fill(row);
            }
        }
    }

    /// <inheritdoc />
    public OrderedDictionary ReadCounters(Action<string> warn)
    {
        var total = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (family, af) in new[] { ("IPv4", AfInet), ("IPv6", AfInet6) })
        {
            var buffer = new byte[WindowsTcpStatistics.Stats2Size];
            uint error = _statisticsCall(af, buffer, out bool is64);
            if (error == GrowingTableCall.ErrorNotSupported && af == AfInet6)
            {
                warn("IPv6 is not installed; the TCP counters are IPv4 only.");
                continue;
            }
            if (error != GrowingTableCall.ErrorSuccess)
            {
                throw GrowingTableCall.Failure($"GetTcpStatisticsEx2 ({family})", error, ErrorIds.TcpCountersUnavailable);
            }
            if (!WindowsTcpStatistics.TryParse(buffer, is64, out var counters))
            {
                throw new GoNetToolsException(ErrorIds.TcpCountersUnavailable, FailureKind.InvalidData,
                    $"The {family} TCP statistics structure is shorter than expected.", "Report this with your Windows version.");
            }
            WindowsTcpStatistics.Add(total, counters);
        }
        long timeWait = 0;
        foreach (var (family, name, table) in ReadTables(IPFamily.Any, warn))
        {
            timeWait += WindowsTcpTableParser.CountState(table, family, TcpState.TimeWait, name, warn);
        }
        total[WindowsTcpStatistics.TimeWaitCountName] = timeWait;
        return total;
    }

    /// <inheritdoc />
    public TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates) =>
        WindowsTcpStatistics.ToStatistic(counters, timestamp, Scope, interval, rates);

    /// <summary>One family's table at a time, so at most one copy is alive while rows stream out.</summary>
    private IEnumerable<(IPFamily Family, string Name, byte[] Table)> ReadTables(IPFamily wanted, Action<string> warn)
    {
        if (wanted != IPFamily.IPv6)
        {
            yield return (IPFamily.IPv4, "GetExtendedTcpTable (IPv4)", GrowingTableCall.Read(_tableCall(AfInet), "GetExtendedTcpTable (IPv4)")!);
        }
        if (wanted != IPFamily.IPv4)
        {
            var table = GrowingTableCall.Read(_tableCall(AfInet6), "GetExtendedTcpTable (IPv6)", notSupportedMeansAbsent: true);
            if (table is null)
            {
                warn("IPv6 is not installed; only IPv4 sockets are listed.");
            }
            else
            {
                yield return (IPFamily.IPv6, "GetExtendedTcpTable (IPv6)", table);
            }
        }
    }
}
