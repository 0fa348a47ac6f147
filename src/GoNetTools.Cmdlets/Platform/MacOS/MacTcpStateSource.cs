using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Runtime.Versioning;

namespace GoNetTools.Platform.MacOS;

/// <summary>macOS back-end: netstat -anv and netstat -s (being written).</summary>
[SupportedOSPlatform("macos")]
internal sealed class MacTcpStateSource : ITcpStateSource
{
    public string Scope => "host";

    public IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn) => throw PlatformServices.Unsupported("TCP connection state");

    public OrderedDictionary ReadCounters(Action<string> warn) => throw PlatformServices.Unsupported("TCP counters");

    public TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates) => throw PlatformServices.Unsupported("TCP counters");
}
