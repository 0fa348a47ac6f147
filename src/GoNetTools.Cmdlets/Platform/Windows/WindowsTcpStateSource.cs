using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Runtime.Versioning;

namespace GoNetTools.Platform.Windows;

/// <summary>Windows back-end: GetExtendedTcpTable and GetTcpStatisticsEx2 (being written).</summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsTcpStateSource : ITcpStateSource
{
    public string Scope => "host";

    public IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn) => throw PlatformServices.Unsupported("TCP connection state");

    public OrderedDictionary ReadCounters(Action<string> warn) => throw PlatformServices.Unsupported("TCP counters");

    public TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates) => throw PlatformServices.Unsupported("TCP counters");
}
