using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using GoNetTools.Platform;

namespace GoNetTools.GoProxy;

/// <summary>
/// Counts TIME_WAIT sockets on connections to the proxy endpoint. Client side: remote = proxy address and port
/// (these hold our ephemeral ports). When the proxy runs on this host (a lab on loopback), the server's own
/// TIME_WAIT sockets (local = proxy address and port) live in the same table and are counted too, apart.
/// </summary>
internal sealed class TimeWaitMonitor
{
    private static readonly TcpState[] TimeWaitOnly = { TcpState.TimeWait };

    private readonly ITcpStateSource _source;
    private readonly HashSet<IPAddress> _proxyAddresses;
    private readonly int _port;
    private readonly bool _proxyIsLocal;

    public TimeWaitMonitor(ITcpStateSource source, IEnumerable<IPAddress> proxyAddresses, int port)
    {
        _source = source;
        _proxyAddresses = new HashSet<IPAddress>(proxyAddresses.Select(Canonical));
        _port = port;
        _proxyIsLocal = _proxyAddresses.Any(IsLocal);
    }

    public bool ProxyIsLocal => _proxyIsLocal;

    /// <summary>(client side, server side) TIME_WAIT counts now.</summary>
    public (int Client, int Server) Count(Action<string> warn)
    {
        int client = 0, server = 0;
        var query = new TcpStateQuery { States = TimeWaitOnly, ResolveOwners = false };
        foreach (var row in _source.GetConnections(query, warn))
        {
            if (row.RemotePort == _port && Matches(row.RemoteAddress))
            {
                client++;
            }
            else if (_proxyIsLocal && row.LocalPort == _port && Matches(row.LocalAddress))
            {
                server++;
            }
        }
        return (client, server);
    }

    /// <summary>Sockets toward the proxy in every state (client side), for the port budget.</summary>
    public Core.TcpStateTally ClientSockets(Action<string> warn)
    {
        var tally = new Core.TcpStateTally();
        foreach (var row in _source.GetConnections(new TcpStateQuery { ResolveOwners = false }, warn))
        {
            if (row.RemotePort == _port && row.State != TcpState.Listen && Matches(row.RemoteAddress))
            {
                tally.Add(row);
            }
        }
        return tally;
    }

    private bool Matches(string address) => IPAddress.TryParse(address, out var ip) && _proxyAddresses.Contains(Canonical(ip));

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsLocal(IPAddress address)
    {
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
