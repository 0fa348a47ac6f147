using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// macOS back-end: sockets from <c>netstat -anvW -p tcp</c>, counters from <c>netstat -s -p tcp</c>, both read by
/// pure parsers. -W keeps netstat from cutting long IPv6 addresses to the column width (a cut address could
/// still parse, as a wrong one). The TIME_WAIT and ESTABLISHED populations are counted from
/// <c>netstat -anW -p tcp</c>, since netstat -s has no gauge for them.
/// </summary>
[SupportedOSPlatform("macos")]
internal sealed class MacTcpStateSource : ITcpStateSource
{
    private readonly string _netstat;

    /// <summary>Reads through <paramref name="netstatPath"/> (tests point it at a stand-in that prints fixtures).</summary>
    public MacTcpStateSource(string netstatPath = "/usr/sbin/netstat") => _netstat = netstatPath;

    /// <inheritdoc />
    public string Scope => "host";

    /// <inheritdoc />
    public IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn)
    {
        if (query.IncludeInfo)
        {
            warn("tcp_info figures are not available from netstat; Info is empty on macOS.");
        }
        var names = query.ResolveOwners ? new ProcessNameCache() : null;
        var arguments = new[] { "-anvW", "-p", "tcp" };
        using var run = ChildProcessOutput.Start(_netstat, arguments, ErrorIds.TcpTableUnavailable);
        foreach (var row in MacNetstatTableParser.Parse(run.Output, query, "netstat " + string.Join(' ', arguments), warn))
        {
            // Older netstat prints a pid without a name; macOS 12+ prints the (shortened) name itself.
            yield return names is null ? row : names.Fill(row);
        }
        run.Finish();
    }

    /// <inheritdoc />
    public OrderedDictionary ReadCounters(Action<string> warn)
    {
        var raw = new OrderedDictionary(StringComparer.Ordinal);
        var statsArguments = new[] { "-s", "-p", "tcp" };
        using (var run = ChildProcessOutput.Start(_netstat, statsArguments, ErrorIds.TcpCountersUnavailable))
        {
            MacNetstatStatsParser.Parse(run.Output, raw, "netstat " + string.Join(' ', statsArguments), warn);
            run.Finish();
        }
        var tableArguments = new[] { "-anW", "-p", "tcp" };
        long timeWait = 0, established = 0;
        using (var run = ChildProcessOutput.Start(_netstat, tableArguments, ErrorIds.TcpCountersUnavailable))
        {
            foreach (var row in MacNetstatTableParser.Parse(run.Output, new TcpStateQuery(), "netstat " + string.Join(' ', tableArguments), warn))
            {
                timeWait += row.State == TcpState.TimeWait ? 1 : 0;
                established += row.State is TcpState.Established or TcpState.CloseWait ? 1 : 0;
            }
            run.Finish();
        }
        raw[MacTcpStatistic.TimeWaitCountName] = timeWait;
        raw[MacTcpStatistic.CurrEstabName] = established;
        return raw;
    }

    /// <inheritdoc />
    public TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates) =>
        MacTcpStatistic.FromRaw(counters, timestamp, Scope, interval, rates);
}
