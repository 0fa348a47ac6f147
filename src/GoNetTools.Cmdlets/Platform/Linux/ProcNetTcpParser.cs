using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Parses /proc/net/tcp and /proc/net/tcp6, the fallback when netlink is unavailable. Addresses are printed
/// as the kernel's __be32 words in host byte order (%08X), ports as host-order %04X; the TIME_WAIT timer
/// ("03:when") is in clock ticks of USER_HZ = 100.
/// </summary>
internal static class ProcNetTcpParser
{
    private const int UserHz = 100;

    public static IEnumerable<TcpConnection> Parse(TextReader reader, IPFamily family, TcpStateQuery query, string sourceName, Action<string> warn)
    {
        var addresses = new AddressTextCache();
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue; // header
            }
            if (!TryParseLine(line, family, addresses, out var row))
            {
                warn($"Skipped malformed line {lineNumber} of {sourceName}: '{Shorten(line)}'.");
                continue;
            }
            if (query.Wants(row.State))
            {
                yield return row;
            }
        }
    }

    internal static bool TryParseLine(string line, IPFamily family, AddressTextCache addresses, out TcpConnection row)
    {
        row = null!;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || !fields[0].EndsWith(':'))
        {
            return false;
        }
        if (!TryEndpoint(fields[1], family, addresses, out var local, out int localPort)
            || !TryEndpoint(fields[2], family, addresses, out var remote, out int remotePort)
            || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int kernelState)
            || !uint.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
            || !ulong.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
        {
            return false;
        }
        var timer = fields[5].Split(':');
        if (timer.Length != 2 || !int.TryParse(timer[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int timerKind)
            || !long.TryParse(timer[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long ticks))
        {
            return false;
        }
        var state = LinuxTcpStates.FromKernel(kernelState);
        row = new TcpConnection
        {
            LocalAddress = local,
            LocalPort = localPort,
            RemoteAddress = remote,
            RemotePort = remotePort,
            State = state,
            AddressFamily = family,
            // A timer beyond a day is not a kernel value (TIME_WAIT is 60 s); afl-fuzz found ticks * 1000 overflowing.
            TimeWaitRemaining = state == TcpState.TimeWait && timerKind == 3 && ticks is >= 0 and <= 86_400L * UserHz
                ? TimeSpan.FromMilliseconds(ticks * 1000 / UserHz) : null,
            Uid = uid,
            Inode = inode,
        };
        return true;
    }

    private static bool TryEndpoint(string field, IPFamily family, AddressTextCache addresses, out string address, out int port)
    {
        address = "";
        port = 0;
        int colon = field.IndexOf(':');
        int hexLength = family == IPFamily.IPv4 ? 8 : 32;
        if (colon != hexLength || !int.TryParse(field.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out port)
            || port > 65535)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        for (int word = 0; word < hexLength / 8; word++)
        {
            if (!uint.TryParse(field.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
            {
                return false;
            }
            // The kernel printed each network-order word as a host-order integer: write it back in host order.
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes[(word * 4)..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes[(word * 4)..], value);
            }
        }
        address = family == IPFamily.IPv4 ? addresses.IPv4(bytes[..4]) : addresses.IPv6(bytes);
        return true;
    }

    private static string Shorten(string line) => line.Length <= 120 ? line.Trim() : line[..120].Trim() + "…";
}
