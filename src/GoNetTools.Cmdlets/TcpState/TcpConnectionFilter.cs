using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace GoNetTools.Tcp;

/// <summary>An IP address or CIDR prefix ("10.0.0.0/8", "2001:db8::/32", "127.0.0.1").</summary>
internal readonly struct AddressPrefix
{
    private readonly byte[] _network;
    private readonly int _bits;

    private AddressPrefix(byte[] network, int bits)
    {
        _network = network;
        _bits = bits;
    }

    public static bool TryParse(string text, out AddressPrefix prefix)
    {
        prefix = default;
        var parts = text.Trim().Split('/');
        if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out var address))
        {
            return false;
        }
        // IPAddress also takes inet_aton's short forms ("10.1" is 10.0.0.1): refuse them, they read as prefixes.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && parts[0].Split('.').Length != 4)
        {
            return false;
        }
        address = Canonical(address);
        var bytes = address.GetAddressBytes();
        int bits = bytes.Length * 8;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > bytes.Length * 8))
        {
            return false;
        }
        prefix = new AddressPrefix(bytes, bits);
        return true;
    }

    /// <summary>The prefix that holds exactly <paramref name="address"/>.</summary>
    public static AddressPrefix Of(IPAddress address)
    {
        var bytes = Canonical(address).GetAddressBytes();
        return new AddressPrefix(bytes, bytes.Length * 8);
    }

    public bool Contains(IPAddress address)
    {
        var bytes = Canonical(address).GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }
        int full = _bits / 8;
        for (int i = 0; i < full; i++)
        {
            if (bytes[i] != _network[i])
            {
                return false;
            }
        }
        int rest = _bits % 8;
        if (rest == 0)
        {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (bytes[full] & mask) == (_network[full] & mask);
    }

    /// <summary>IPv4-mapped IPv6 (::ffff:a.b.c.d, what dual-stack sockets show) compares as IPv4.</summary>
    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>The address, port, family and owner filters shared by the TCP-state cmdlets.</summary>
internal sealed class TcpConnectionFilter
{
    private readonly AddressPrefix[] _local;
    private readonly AddressPrefix[] _remote;
    private readonly HashSet<int>? _localPorts;
    private readonly HashSet<int>? _remotePorts;
    private readonly HashSet<int>? _pids;
    private readonly IPFamily _family;
    private readonly Dictionary<string, IPAddress> _parsed = new(StringComparer.Ordinal);

    private TcpConnectionFilter(AddressPrefix[] local, AddressPrefix[] remote, int[]? localPorts, int[]? remotePorts, int[]? pids, IPFamily family)
    {
        _local = local;
        _remote = remote;
        _localPorts = localPorts is { Length: > 0 } ? new HashSet<int>(localPorts) : null;
        _remotePorts = remotePorts is { Length: > 0 } ? new HashSet<int>(remotePorts) : null;
        _pids = pids is { Length: > 0 } ? new HashSet<int>(pids) : null;
        _family = family;
    }

    public bool NeedsOwners => _pids is not null;

    /// <summary>Parses the address filters; the first one that is neither an IP nor a CIDR prefix is returned in <paramref name="badAddress"/>.</summary>
    public static TcpConnectionFilter? TryCreate(string[]? local, string[]? remote, int[]? localPorts, int[]? remotePorts, int[]? pids, IPFamily family, out string? badAddress)
    {
        badAddress = null;
        var localPrefixes = Parse(local, ref badAddress);
        var remotePrefixes = Parse(remote, ref badAddress);
        return badAddress is null ? new TcpConnectionFilter(localPrefixes, remotePrefixes, localPorts, remotePorts, pids, family) : null;
    }

    /// <summary>
    /// A filter on addresses already parsed (a resolved proxy, say): each matches itself only. An empty list
    /// matches every address, as an omitted -RemoteAddress does.
    /// </summary>
    public static TcpConnectionFilter ForAddresses(IEnumerable<IPAddress>? local, IEnumerable<IPAddress>? remote, int[]? localPorts, int[]? remotePorts) =>
        new(local?.Select(AddressPrefix.Of).ToArray() ?? Array.Empty<AddressPrefix>(),
            remote?.Select(AddressPrefix.Of).ToArray() ?? Array.Empty<AddressPrefix>(), localPorts, remotePorts, null, IPFamily.Any);

    private static AddressPrefix[] Parse(string[]? texts, ref string? bad)
    {
        if (texts is null)
        {
            return Array.Empty<AddressPrefix>();
        }
        var result = new List<AddressPrefix>();
        foreach (var text in texts)
        {
            if (AddressPrefix.TryParse(text, out var prefix))
            {
                result.Add(prefix);
            }
            else
            {
                bad ??= text;
            }
        }
        return result.ToArray();
    }

    public bool Matches(TcpConnection row) =>
        (_family == IPFamily.Any || row.AddressFamily == _family)
        && (_localPorts is null || _localPorts.Contains(row.LocalPort))
        && (_remotePorts is null || _remotePorts.Contains(row.RemotePort))
        && (_pids is null || (row.OwningProcess is int pid && _pids.Contains(pid)))
        && MatchesAny(_local, row.LocalAddress)
        && MatchesAny(_remote, row.RemoteAddress);

    private bool MatchesAny(AddressPrefix[] prefixes, string address)
    {
        if (prefixes.Length == 0)
        {
            return true;
        }
        if (!_parsed.TryGetValue(address, out var ip))
        {
            ip = IPAddress.Parse(address);
            _parsed[address] = ip;
        }
        return prefixes.Any(p => p.Contains(ip));
    }
}
