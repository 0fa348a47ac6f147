using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Foundation;
using GoNetTools.Platform;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Platform.Windows;

// GoNetTools.Tests.TcpState (a test folder's namespace) would hide the enum of the same name.
using TcpState = GoNetTools.TcpState;

/// <summary>MIB_TCPTABLE_OWNER_PID / MIB_TCP6TABLE_OWNER_PID bytes (fixtures built from the documented layout, see tests/fixtures/tcpstate/windows/README.md).</summary>
public sealed class WindowsTcpTableParserTests
{
    internal static byte[] Fixture(string name) => File.ReadAllBytes(Repo.Fixture("tcpstate", "windows", name));

    private static List<TcpConnection> Parse(byte[] table, IPFamily family, List<string> warnings, params TcpState[] states) =>
        WindowsTcpTableParser.Parse(table, family, new TcpStateQuery { States = states }, new AddressTextCache(), "test table", warnings.Add).ToList();

    [SkippableFact]
    public void IPv4_table_gives_every_row_with_addresses_ports_states_and_owners()
    {
        var warnings = new List<string>();
        var rows = Parse(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, warnings);

        Assert.Empty(warnings); // the 40 trailing 0xEE bytes are beyond dwNumEntries rows and ignored
        Assert.Equal(7, rows.Count);
        Assert.Equal(
            new[] { TcpState.Listen, TcpState.Established, TcpState.TimeWait, TcpState.TimeWait, TcpState.CloseWait, TcpState.SynSent, TcpState.DeleteTcb },
            rows.Select(r => r.State));
        var established = rows[1];
        Assert.Equal(("192.168.1.10", 50123, "140.82.112.3", 443), (established.LocalAddress, established.LocalPort, established.RemoteAddress, established.RemotePort));
        Assert.Equal(1234, established.OwningProcess);
        Assert.Equal(IPFamily.IPv4, established.AddressFamily);
        Assert.Equal(("0.0.0.0", 443, 4), (rows[0].LocalAddress, rows[0].LocalPort, rows[0].OwningProcess));
        Assert.Equal(("127.0.0.1", 8080, "127.0.0.1", 51000, 5678), (rows[4].LocalAddress, rows[4].LocalPort, rows[4].RemoteAddress, rows[4].RemotePort, rows[4].OwningProcess));
    }

    [SkippableFact]
    public void Ports_are_converted_from_network_byte_order()
    {
        // 1 → 0x0001 and 258 → 0x0102: read little-endian they would be 256 and 513.
        var rows = Parse(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, new List<string>());
        Assert.Equal((1, 258), (rows[5].LocalPort, rows[5].RemotePort));
        Assert.Equal((2, 259), (rows[6].LocalPort, rows[6].RemotePort));
    }

    [SkippableFact]
    public void TimeWait_rows_have_no_owner_and_other_rows_keep_theirs()
    {
        var rows = Parse(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, new List<string>());
        Assert.All(rows.Where(r => r.State == TcpState.TimeWait), r => Assert.Null(r.OwningProcess));
        Assert.All(rows.Where(r => r.State != TcpState.TimeWait), r => Assert.NotNull(r.OwningProcess));
    }

    [SkippableFact]
    public void IPv6_table_gives_rows_without_scope_in_the_address_text()
    {
        var warnings = new List<string>();
        var rows = Parse(Fixture("tcp6-owner-pid.bin"), IPFamily.IPv6, warnings);

        Assert.Empty(warnings);
        Assert.Equal(new[] { TcpState.Listen, TcpState.Established, TcpState.TimeWait, TcpState.FinWait2 }, rows.Select(r => r.State));
        Assert.All(rows, r => Assert.Equal(IPFamily.IPv6, r.AddressFamily));
        Assert.Equal(("::", 443, "::", 0, 4), (rows[0].LocalAddress, rows[0].LocalPort, rows[0].RemoteAddress, rows[0].RemotePort, rows[0].OwningProcess));
        Assert.Equal(("2001:db8::10", 50200, "2001:db8::1", 443, 1234), (rows[1].LocalAddress, rows[1].LocalPort, rows[1].RemoteAddress, rows[1].RemotePort, rows[1].OwningProcess));
        Assert.Equal(("fe80::1", 50201, "fe80::2", 443), (rows[2].LocalAddress, rows[2].LocalPort, rows[2].RemoteAddress, rows[2].RemotePort));
        Assert.Null(rows[2].OwningProcess);
        Assert.Equal(("::1", 8081, "::1", 52000, 5678), (rows[3].LocalAddress, rows[3].LocalPort, rows[3].RemoteAddress, rows[3].RemotePort, rows[3].OwningProcess));
    }

    [SkippableFact]
    public void State_query_keeps_only_the_wanted_states()
    {
        var v4 = Parse(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, new List<string>(), TcpState.TimeWait);
        Assert.Equal(new[] { 50124, 50125 }, v4.Select(r => r.LocalPort));
        var v6 = Parse(Fixture("tcp6-owner-pid.bin"), IPFamily.IPv6, new List<string>(), TcpState.Listen, TcpState.FinWait2);
        Assert.Equal(new[] { 443, 8081 }, v6.Select(r => r.LocalPort));
    }

    [SkippableFact]
    public void CountState_counts_rows_in_a_state_without_building_them()
    {
        var warnings = new List<string>();
        Assert.Equal(2, WindowsTcpTableParser.CountState(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, TcpState.TimeWait, "t", warnings.Add));
        Assert.Equal(1, WindowsTcpTableParser.CountState(Fixture("tcp6-owner-pid.bin"), IPFamily.IPv6, TcpState.TimeWait, "t", warnings.Add));
        Assert.Equal(1, WindowsTcpTableParser.CountState(Fixture("tcp4-owner-pid.bin"), IPFamily.IPv4, TcpState.CloseWait, "t", warnings.Add));
        Assert.Empty(warnings);
    }

    [SkippableFact]
    public void Truncated_table_gives_the_whole_rows_read_and_a_warning()
    {
        var full = Fixture("tcp4-owner-pid.bin");
        var cut = full.AsSpan(0, WindowsTcpTableParser.HeaderSize + 3 * WindowsTcpTableParser.IPv4RowSize + 10).ToArray();
        var warnings = new List<string>();

        var rows = Parse(cut, IPFamily.IPv4, warnings);

        Assert.Equal(3, rows.Count);
        Assert.Equal(50124, rows[2].LocalPort);
        var warning = Assert.Single(warnings);
        Assert.Contains("claims 7 rows but only 3 fit", warning);
        Assert.Contains("test table", warning);
    }

    [SkippableFact]
    public void Truncated_IPv6_table_and_short_header_do_not_throw()
    {
        var full = Fixture("tcp6-owner-pid.bin");
        var warnings = new List<string>();
        Assert.Single(Parse(full.AsSpan(0, 4 + 56 + 55).ToArray(), IPFamily.IPv6, warnings));
        Assert.Single(warnings);

        warnings.Clear();
        Assert.Empty(Parse(new byte[] { 7, 0 }, IPFamily.IPv6, warnings));
        Assert.Contains("shorter than the table header", Assert.Single(warnings));

        warnings.Clear();
        Assert.Empty(Parse(Array.Empty<byte>(), IPFamily.IPv4, warnings));
        Assert.Empty(warnings);
    }

    [SkippableFact]
    public void Garbage_bytes_give_unknown_states_or_a_warning_never_an_exception()
    {
        var random = new Random(20261123);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            var warnings = new List<string>();
            var rows = Parse(bytes, i % 2 == 0 ? IPFamily.IPv4 : IPFamily.IPv6, warnings);
            int rowSize = i % 2 == 0 ? WindowsTcpTableParser.IPv4RowSize : WindowsTcpTableParser.IPv6RowSize;
            Assert.True(rows.Count <= Math.Max(0, bytes.Length - 4) / rowSize);
            Assert.All(rows, r => Assert.InRange(r.LocalPort, 0, 65535));
        }
    }

    [SkippableTheory]
    [InlineData(1u, TcpState.Closed)]
    [InlineData(2u, TcpState.Listen)]
    [InlineData(4u, TcpState.SynReceived)]
    [InlineData(6u, TcpState.FinWait1)]
    [InlineData(9u, TcpState.Closing)]
    [InlineData(10u, TcpState.LastAck)]
    [InlineData(11u, TcpState.TimeWait)]
    [InlineData(12u, TcpState.DeleteTcb)]
    [InlineData(0u, TcpState.Unknown)]
    [InlineData(13u, TcpState.Unknown)]
    public void MIB_TCP_STATE_numbers_map_to_the_shared_enum(uint mib, TcpState expected) =>
        Assert.Equal(expected, WindowsTcpTableParser.FromMib(mib));
}
