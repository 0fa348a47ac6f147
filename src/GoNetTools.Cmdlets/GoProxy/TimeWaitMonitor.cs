using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using GoNetTools.Platform;

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

    private readonly ITcpStateSource _source;
    private readonly HashSet<IPAddress> _proxyAddresses;
    private readonly int _port;
    private readonly Func<IReadOnlySet<int>> _ourPorts;

    public TimeWaitMonitor(ITcpStateSource source, IEnumerable<IPAddress> proxyAddresses, int port, Func<IReadOnlySet<int>> ourPorts)
    {
        _source = source;
        _proxyAddresses = new HashSet<IPAddress>(proxyAddresses.Select(Canonical));
        _port = port;
        _ourPorts = ourPorts;
        ProxyIsLocal = _proxyAddresses.Count > 0 && _proxyAddresses.All(IsLocal);
        ProxyIsLoopback = _proxyAddresses.Count > 0 && _proxyAddresses.All(IPAddress.IsLoopback);
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
        if (ours.Count == 0)
        {
            return (0, 0);
        }
        var query = new TcpStateQuery { States = TimeWaitOnly, ResolveOwners = false };
        foreach (var row in _source.GetConnections(query, warn))
        {
            if (row.RemotePort == _port && ours.Contains(row.LocalPort) && Matches(row.RemoteAddress))
            {
                client++;
                ports.Add(row.LocalPort);
            }
            else if (ProxyIsLocal && row.LocalPort == _port && ours.Contains(row.RemotePort) && Matches(row.LocalAddress))
            {
                server++;
            }
        }
        return (client, server);
    }

    /// <summary>Our own client-side sockets toward the proxy in every state, for the port budget.</summary>
    public Core.TcpStateTally ClientSockets(Action<string> warn)
    {
        var tally = new Core.TcpStateTally();
        var ours = _ourPorts();
        foreach (var row in _source.GetConnections(new TcpStateQuery { ResolveOwners = false }, warn))
        {
            if (row.RemotePort == _port && row.State != TcpState.Listen && ours.Contains(row.LocalPort) && Matches(row.RemoteAddress))
            {
                tally.Add(row);
            }
        }
        return tally;
    }

    private bool Matches(string address) => IPAddress.TryParse(address, out var ip) && _proxyAddresses.Contains(Canonical(ip));

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
