using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Linux: sockets from NETLINK_SOCK_DIAG (falling back to /proc/net/tcp{,6}), counters from /proc/net/snmp,
/// /proc/net/netstat and /proc/net/sockstat. All of it belongs to the calling process's network namespace.
/// Under a fixture root only the /proc files are read (netlink always speaks to the live kernel).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxTcpStateSource : ITcpStateSource
{
    private readonly string _root;

    public LinuxTcpStateSource(string systemRoot) => _root = systemRoot;

    private bool IsLive => _root == "/";

    public string Scope => NetworkNamespace.Describe(_root);

    public IEnumerable<TcpConnection> GetConnections(TcpStateQuery query, Action<string> warn)
    {
        var rows = IsLive ? FromNetlinkOrProc(query, warn) : FromProc(query, warn);
        return query.ResolveOwners ? WithOwners(rows) : rows;
    }

    private IEnumerable<TcpConnection> FromNetlinkOrProc(TcpStateQuery query, Action<string> warn)
    {
        SafeFdHandle? fd = null;
        try
        {
            fd = NetlinkSockDiag.Open();
        }
        catch (GoNetToolsException e)
        {
            warn($"{e.Message} Reading /proc/net/tcp and /proc/net/tcp6 instead.");
        }
        return fd is null ? FromProc(query, warn) : FromNetlink(fd, query, warn);
    }

    private static IEnumerable<TcpConnection> FromNetlink(SafeFdHandle fd, TcpStateQuery query, Action<string> warn)
    {
        using (fd)
        {
            uint mask = LinuxTcpStates.Mask(query);
            if (query.Family != IPFamily.IPv6)
            {
                foreach (var row in NetlinkSockDiag.Dump(fd, 2, mask, query.IncludeInfo, warn))
                {
                    yield return row;
                }
            }
            if (query.Family != IPFamily.IPv4)
            {
                foreach (var row in NetlinkSockDiag.Dump(fd, 10, mask, query.IncludeInfo, warn))
                {
                    yield return row;
                }
            }
        }
    }

    private IEnumerable<TcpConnection> FromProc(TcpStateQuery query, Action<string> warn)
    {
        if (query.IncludeInfo)
        {
            warn("tcp_info is only available through netlink; Info is empty for rows read from /proc/net/tcp.");
        }
        var files = new List<(string Path, IPFamily Family)>();
        if (query.Family != IPFamily.IPv6)
        {
            files.Add((Path.Combine(_root, "proc/net/tcp"), IPFamily.IPv4));
        }
        if (query.Family != IPFamily.IPv4)
        {
            files.Add((Path.Combine(_root, "proc/net/tcp6"), IPFamily.IPv6));
        }
        foreach (var (path, family) in files)
        {
            if (!File.Exists(path))
            {
                // No IPv6 in this kernel or namespace is normal; no IPv4 table means something is wrong.
                if (family == IPFamily.IPv4)
                {
                    throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.ResourceUnavailable,
                        $"Neither netlink nor {path} is available.", "Is /proc mounted?");
                }
                continue;
            }
            using var reader = new StreamReader(path);
            foreach (var row in ProcNetTcpParser.Parse(reader, family, query, path, warn))
            {
                yield return row;
            }
        }
    }

    private IEnumerable<TcpConnection> WithOwners(IEnumerable<TcpConnection> rows)
    {
        ProcSocketOwners? owners = null;
        foreach (var row in rows)
        {
            if (row.Inode is > 0)
            {
                owners ??= ProcSocketOwners.Scan(_root);
                if (owners.TryGetOwner(row.Inode.Value, out int pid, out var name))
                {
                    row.OwningProcess = pid;
                    row.ProcessName = name;
                }
            }
            yield return row;
        }
    }

    public OrderedDictionary ReadCounters(Action<string> warn)
    {
        var raw = new OrderedDictionary(StringComparer.Ordinal);
        ReadCounterFile("proc/net/snmp", raw, warn, ProcNetCounterParser.ParsePairs, required: true);
        ReadCounterFile("proc/net/netstat", raw, warn, ProcNetCounterParser.ParsePairs, required: false);
        ReadCounterFile("proc/net/sockstat", raw, warn, ProcNetCounterParser.ParseSockstat, required: false);
        return raw;
    }

    public TcpStatistic ToStatistic(OrderedDictionary counters, DateTime timestamp, TimeSpan? interval, OrderedDictionary? rates) =>
        LinuxTcpStatistic.FromRaw(counters, timestamp, Scope, interval, rates);

    private void ReadCounterFile(string relative, OrderedDictionary raw, Action<string> warn,
        Action<TextReader, OrderedDictionary, string, Action<string>> parse, bool required)
    {
        var path = Path.Combine(_root, relative);
        try
        {
            using var reader = new StreamReader(path);
            parse(reader, raw, path, warn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (required)
            {
                throw new GoNetToolsException(ErrorIds.TcpCountersUnavailable, FailureKind.ResourceUnavailable,
                    $"Cannot read {path}: {e.Message}", "Is /proc mounted?", e);
            }
            warn($"Cannot read {path}: {e.Message}");
        }
    }
}
