using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// Parses <c>netstat -anv -p tcp</c> from macOS. Columns are found from the header line because they moved
/// between releases: older macOS prints "… (state) rhiwat shiwat pid epid state options", macOS 12 and later
/// "… (state) rxbytes txbytes rhiwat shiwat process:pid state options gencnt flags flags1 usscnt rtncnt fltrs".
/// Endpoints are "address.port" ("127.0.0.1.8080", "::1.8080", "fe80::1%lo0.443", "*.*"). Pure: a reader in,
/// rows out; lines that cannot be read are skipped with a warning naming them.
/// </summary>
internal static class MacNetstatTableParser
{
    private static readonly Dictionary<string, TcpState> States = new(StringComparer.Ordinal)
    {
        ["CLOSED"] = TcpState.Closed,
        ["LISTEN"] = TcpState.Listen,
        ["SYN_SENT"] = TcpState.SynSent,
        ["SYN_RCVD"] = TcpState.SynReceived,
        ["SYN_RECEIVED"] = TcpState.SynReceived,
        ["ESTABLISHED"] = TcpState.Established,
        ["CLOSE_WAIT"] = TcpState.CloseWait,
        ["FIN_WAIT_1"] = TcpState.FinWait1,
        ["CLOSING"] = TcpState.Closing,
        ["LAST_ACK"] = TcpState.LastAck,
        ["FIN_WAIT_2"] = TcpState.FinWait2,
        ["TIME_WAIT"] = TcpState.TimeWait,
    };

    /// <summary>Where the columns we read sit, from one header line.</summary>
    private sealed record Layout(int Count, int Proto, int Local, int Foreign, int State, int Pid, bool PidHasName);

    /// <summary>The rows <paramref name="query"/> wants (states and family), in netstat's order.</summary>
    public static IEnumerable<TcpConnection> Parse(TextReader reader, TcpStateQuery query, string sourceName, Action<string> warn)
    {
        var addresses = new AddressTextCache();
        Layout? layout = null;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0 || line.StartsWith("Active ", StringComparison.Ordinal))
            {
                continue; // the "Active Internet connections (including servers)" preface
            }
            if (line.StartsWith("Proto", StringComparison.Ordinal))
            {
                layout = ReadHeader(line);
                if (layout is null)
                {
                    warn($"{sourceName} line {lineNumber}: header without Proto, Local Address, Foreign Address and (state) columns: '{Shorten(line)}'.");
                }
                continue;
            }
            if (layout is null)
            {
                warn($"Skipped line {lineNumber} of {sourceName}, which comes before any usable header: '{Shorten(line)}'.");
                continue;
            }
            if (!TryParseRow(line, layout, addresses, out var row))
            {
                warn($"Skipped malformed line {lineNumber} of {sourceName}: '{Shorten(line)}'.");
                continue;
            }
            if (query.Wants(row.State) && (query.Family == IPFamily.Any || query.Family == row.AddressFamily))
            {
                yield return row;
            }
        }
    }

    private static Layout? ReadHeader(string line)
    {
        // "Local Address" and "Foreign Address" are two words each in most releases; make them one token.
        var names = line.Replace("Local Address", "Local-Address", StringComparison.Ordinal)
            .Replace("Foreign Address", "Foreign-Address", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int processPid = Array.IndexOf(names, "process:pid");
        int pid = processPid >= 0 ? processPid : Array.IndexOf(names, "pid");
        var layout = new Layout(names.Length, Array.IndexOf(names, "Proto"), Array.IndexOf(names, "Local-Address"),
            Array.IndexOf(names, "Foreign-Address"), Array.IndexOf(names, "(state)"), pid, processPid >= 0);
        return layout.Proto < 0 || layout.Local < 0 || layout.Foreign < 0 || layout.State < 0 ? null : layout;
    }

    private static bool TryParseRow(string line, Layout layout, AddressTextCache addresses, out TcpConnection row)
    {
        row = null!;
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < layout.Count)
        {
            return false;
        }
        // A process name may hold spaces ("Google Chrome He:1403"): extra fields belong to the process column.
        int extra = layout.PidHasName ? fields.Length - layout.Count : 0;
        string Field(int column) => fields[column > layout.Pid && layout.Pid >= 0 ? column + extra : column];

        var proto = Field(layout.Proto);
        if (!proto.StartsWith("tcp", StringComparison.Ordinal) || !States.TryGetValue(Field(layout.State), out var state)
            || !TryEndpoint(Field(layout.Local), out var local, out int localPort)
            || !TryEndpoint(Field(layout.Foreign), out var remote, out int remotePort)
            || !TryFamily(proto, local, remote, out var family))
        {
            return false;
        }
        int? pid = null;
        string? name = null;
        if (layout.Pid >= 0 && !TryOwner(string.Join(' ', fields, layout.Pid, extra + 1), out pid, out name))
        {
            return false;
        }
        row = new TcpConnection
        {
            LocalAddress = Text(local, family, addresses),
            LocalPort = localPort,
            RemoteAddress = Text(remote, family, addresses),
            RemotePort = remotePort,
            State = state,
            AddressFamily = family,
            // macOS keeps the last pid on a TIME_WAIT socket; that process may be gone or the pid reused, and
            // TIME_WAIT belongs to the kernel, so report no owner as on the other OSes.
            OwningProcess = state == TcpState.TimeWait ? null : pid,
            ProcessName = state == TcpState.TimeWait ? null : name,
        };
        return true;
    }

    /// <summary>"address.port": the port follows the last dot; "*" is the wildcard for either part.</summary>
    private static bool TryEndpoint(string text, out IPAddress? address, out int port)
    {
        address = null;
        port = 0;
        int dot = text.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }
        var portText = text.AsSpan(dot + 1);
        if (!(portText is "*" || (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535)))
        {
            return false;
        }
        var host = text.AsSpan(0, dot);
        if (host is "*")
        {
            return true;
        }
        // The scope ("%lo0") is dropped: rows on every OS carry bare addresses, which the filters compare.
        int percent = host.IndexOf('%');
        return IPAddress.TryParse(percent >= 0 ? host[..percent] : host, out address);
    }

    /// <summary>
    /// The family of the addresses when one is given, else the protocol's: tcp4 is IPv4, tcp6 IPv6, and a
    /// dual-stack "tcp46" wildcard listener is reported as IPv6 "::", as Linux lists such a socket.
    /// </summary>
    private static bool TryFamily(string proto, IPAddress? local, IPAddress? remote, out IPFamily family)
    {
        var known = local ?? remote;
        family = known is null ? (proto == "tcp4" ? IPFamily.IPv4 : IPFamily.IPv6)
            : known.AddressFamily == AddressFamily.InterNetwork ? IPFamily.IPv4 : IPFamily.IPv6;
        bool sameFamily = local is null || remote is null || local.AddressFamily == remote.AddressFamily;
        bool protoAllows = proto switch
        {
            "tcp4" => family == IPFamily.IPv4,
            "tcp6" => family == IPFamily.IPv6,
            "tcp46" => true,
            _ => false,
        };
        return sameFamily && protoAllows;
    }

    private static string Text(IPAddress? address, IPFamily family, AddressTextCache addresses)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address is null)
        {
            bytes.Clear();
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }
        return family == IPFamily.IPv4 ? addresses.IPv4(bytes[..4]) : addresses.IPv6(bytes);
    }

    /// <summary>
    /// "name:pid" (macOS 13+; the name may be empty) or a bare pid (older releases); pid 0 means none. Either form
    /// is accepted under either header, so a release that prints names under a "pid" header still reads.
    /// </summary>
    private static bool TryOwner(string text, out int? pid, out string? name)
    {
        pid = null;
        name = null;
        int colon = text.LastIndexOf(':');
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return false;
        }
        if (value > 0)
        {
            pid = value;
            name = colon > 0 ? text[..colon] : null;
        }
        return true;
    }

    private static string Shorten(string line) => line.Length <= 120 ? line.Trim() : line[..120].Trim() + "…";
}
