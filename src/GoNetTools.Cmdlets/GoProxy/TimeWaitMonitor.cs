using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using GoNetTools.Foundation;
using GoNetTools.Platform;
using GoNetTools.Tcp;

namespace GoNetTools.GoProxy;

/// <summary>
/// Counts the TIME_WAIT sockets of our own connections to the proxy: the client side (remote = the proxy's address
/// and port, local port one our connects were given) holds our ephemeral ports. When the proxy runs on this host,
/// the server's end of our connections (local = the proxy's address and port, remote port ours) lives in the same
/// table: it is counted apart, as evidence, never against our ports. Other programs' sockets to the proxy are not
/// ours and are not counted.
/// </summary>
internal sealed class TimeWaitMonitor
{
    private static readonly TcpState[] TimeWaitOnly = { TcpState.TimeWait };

    private readonly SocketTableSampler _timeWait;
    private readonly SocketTableSampler _all;
    private readonly bool _hasAddresses;
    private readonly TcpConnectionFilter _toProxy;
    private readonly TcpConnectionFilter _atProxy;
    private readonly Func<IReadOnlySet<int>> _ourPorts;

    public TimeWaitMonitor(ITcpStateSource source, IEnumerable<IPAddress> proxyAddresses, int port, Func<IReadOnlySet<int>> ourPorts)
    {
        var addresses = proxyAddresses.Select(Canonical).Distinct().ToList();
        _timeWait = new SocketTableSampler(source, TimeWaitOnly);
        _all = new SocketTableSampler(source);
        _hasAddresses = addresses.Count > 0;
        _toProxy = TcpConnectionFilter.ForAddresses(null, addresses, null, new[] { port });
        _atProxy = TcpConnectionFilter.ForAddresses(addresses, null, new[] { port }, null);
        _ourPorts = ourPorts;
        ProxyIsLocal = _hasAddresses && addresses.All(IsLocal);
        ProxyIsLoopback = _hasAddresses && addresses.All(IPAddress.IsLoopback);
    }

    /// <summary>Every proxy address is an address of this host (loopback or a local interface).</summary>
    public bool ProxyIsLocal { get; }

    public bool ProxyIsLoopback { get; }

    /// <summary>The local ports of our client-side TIME_WAIT sockets at the last <see cref="Count"/>.</summary>
    public IReadOnlySet<int> ClientTimeWaitPorts { get; private set; } = new HashSet<int>();

    /// <summary>When the last <see cref="Count"/> began reading the table (Stopwatch timestamp).</summary>
    public long ReadAt { get; private set; }

    /// <summary>(client side, server side) TIME_WAIT sockets of our connections now.</summary>
    public (int Client, int Server) Count(Action<string> warn)
    {
        int client = 0, server = 0;
        var ours = _ourPorts();
        var ports = new HashSet<int>();
        ClientTimeWaitPorts = ports;
        ReadAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (ours.Count == 0 || !_hasAddresses)
        {
            return (0, 0);
        }
        bool Client(TcpConnection row) => ours.Contains(row.LocalPort) && _toProxy.Matches(row);
        bool Server(TcpConnection row) => ProxyIsLocal && ours.Contains(row.RemotePort) && _atProxy.Matches(row);
        foreach (var row in _timeWait.Rows(row => Client(row) || Server(row), warn))
        {
            if (Client(row))
            {
                client++;
                ports.Add(row.LocalPort);
            }
            else
            {
                server++;
            }
        }
        return (client, server);
    }

    /// <summary>Our own client-side sockets toward the proxy in every state, for the port budget.</summary>
    public TcpStateTally ClientSockets(Action<string> warn)
    {
        var ours = _ourPorts();
        return _all.Tally(row => _hasAddresses && row.State != TcpState.Listen && ours.Contains(row.LocalPort) && _toProxy.Matches(row), warn);
    }

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Loopback, or an address one of this host's interfaces holds (in this network namespace).</summary>
    public static bool IsLocal(IPAddress address)
    {
        address = Canonical(address);
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(u => Canonical(u.Address).Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
