using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Reads the bytes of MIB_TCPTABLE_OWNER_PID and MIB_TCP6TABLE_OWNER_PID (GetExtendedTcpTable with
/// TCP_TABLE_OWNER_PID_ALL). Pure: no P/Invoke, so the layout is tested on fixtures on any OS.
/// Layout (iphlpapi tcpmib.h; every member is a 4-byte DWORD or a byte array, so no padding):
/// <code>
/// table:  DWORD dwNumEntries; row[dwNumEntries]
/// IPv4 row (24 bytes): dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid
/// IPv6 row (56 bytes): ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId,
///                      dwRemotePort, dwState, dwOwningPid
/// </code>
/// DWORDs are little-endian (every Windows target is). Addresses are in network order. A port is a DWORD whose
/// low 16 bits hold the port in network order, i.e. the first two bytes in memory are the port big-endian.
/// </summary>
internal static class WindowsTcpTableParser
{
    public const int HeaderSize = 4;
    public const int IPv4RowSize = 24;
    public const int IPv6RowSize = 56;

    /// <summary>Rows of one family's table that <paramref name="query"/> wants; truncated tables give the whole rows that fit and a warning.</summary>
    public static IEnumerable<TcpConnection> Parse(byte[] table, IPFamily family, TcpStateQuery query, AddressTextCache addresses, string sourceName, Action<string> warn)
    {
        int rowSize = RowSize(family);
        int count = ValidRowCount(table, rowSize, sourceName, warn);
        for (int i = 0; i < count; i++)
        {
            int offset = HeaderSize + i * rowSize;
            var state = FromMib(ReadState(table, offset, family));
            if (!query.Wants(state))
            {
                continue; // decide on the state alone: a TIME_WAIT-only read never builds the other rows
            }
            yield return family == IPFamily.IPv4
                ? ReadIPv4(table.AsSpan(offset, rowSize), state, addresses)
                : ReadIPv6(table.AsSpan(offset, rowSize), state, addresses);
        }
    }

    /// <summary>How many rows are in <paramref name="state"/>, without building rows (Get-TcpStatistic's TIME_WAIT population).</summary>
    public static int CountState(byte[] table, IPFamily family, TcpState state, string sourceName, Action<string> warn)
    {
        int rowSize = RowSize(family);
        int count = ValidRowCount(table, rowSize, sourceName, warn);
        int matches = 0;
        for (int i = 0; i < count; i++)
        {
            if (FromMib(ReadState(table, HeaderSize + i * rowSize, family)) == state)
            {
                matches++;
            }
        }
        return matches;
    }

    /// <summary>MIB_TCP_STATE (1 CLOSED … 11 TIME_WAIT, 12 DELETE_TCB) to the shared enum.</summary>
    public static TcpState FromMib(uint state) => state switch
    {
        1 => TcpState.Closed,
        2 => TcpState.Listen,
        3 => TcpState.SynSent,
        4 => TcpState.SynReceived,
        5 => TcpState.Established,
        6 => TcpState.FinWait1,
        7 => TcpState.FinWait2,
        8 => TcpState.CloseWait,
        9 => TcpState.Closing,
        10 => TcpState.LastAck,
        11 => TcpState.TimeWait,
        12 => TcpState.DeleteTcb,
        _ => TcpState.Unknown,
    };

    private static int RowSize(IPFamily family) => family switch
    {
        IPFamily.IPv4 => IPv4RowSize,
        IPFamily.IPv6 => IPv6RowSize,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "A table holds one family."),
    };

    /// <summary>dwNumEntries, cut down to the whole rows the buffer really holds.</summary>
    private static int ValidRowCount(byte[] table, int rowSize, string sourceName, Action<string> warn)
    {
        if (table.Length == 0)
        {
            return 0; // the call reported no data at all
        }
        if (table.Length < HeaderSize)
        {
            warn($"{sourceName}: {table.Length} bytes is shorter than the table header; no rows read.");
            return 0;
        }
        uint claimed = BinaryPrimitives.ReadUInt32LittleEndian(table);
        long fits = (table.Length - HeaderSize) / rowSize;
        if (claimed > fits)
        {
            warn($"{sourceName}: the table claims {claimed} rows but only {fits} fit in {table.Length} bytes; read {fits}.");
            return (int)fits;
        }
        return (int)claimed;
    }

    private static uint ReadState(byte[] table, int rowOffset, IPFamily family) =>
        BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(rowOffset + (family == IPFamily.IPv4 ? 0 : 48)));

    private static TcpConnection ReadIPv4(ReadOnlySpan<byte> row, TcpState state, AddressTextCache addresses) => new()
    {
        State = state,
        LocalAddress = addresses.IPv4(row.Slice(4, 4)),
        LocalPort = Port(row[8..]),
        RemoteAddress = addresses.IPv4(row.Slice(12, 4)),
        RemotePort = Port(row[16..]),
        AddressFamily = IPFamily.IPv4,
        OwningProcess = Owner(state, BinaryPrimitives.ReadUInt32LittleEndian(row[20..])),
    };

    // The scope ids (offsets 16 and 40) are left out of the address text, as Linux rows carry none: the filters
    // compare addresses, and "fe80::1" must match the same socket on every OS.
    private static TcpConnection ReadIPv6(ReadOnlySpan<byte> row, TcpState state, AddressTextCache addresses) => new()
    {
        State = state,
        LocalAddress = addresses.IPv6(row[..16]),
        LocalPort = Port(row[20..]),
        RemoteAddress = addresses.IPv6(row.Slice(24, 16)),
        RemotePort = Port(row[44..]),
        AddressFamily = IPFamily.IPv6,
        OwningProcess = Owner(state, BinaryPrimitives.ReadUInt32LittleEndian(row[52..])),
    };

    /// <summary>Network order in the low 16 bits: on little-endian Windows those are the DWORD's first two bytes.</summary>
    private static int Port(ReadOnlySpan<byte> dword) => BinaryPrimitives.ReadUInt16BigEndian(dword);

    /// <summary>TIME_WAIT sockets belong to no process; pid 0 (System Idle) means "none" as well.</summary>
    private static int? Owner(TcpState state, uint pid) =>
        state == TcpState.TimeWait || pid == 0 || pid > int.MaxValue ? null : (int)pid;
}
