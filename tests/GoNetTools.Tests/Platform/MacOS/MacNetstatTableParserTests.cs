using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Platform.MacOS;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Platform.MacOS;

// GoNetTools.Tests.TcpState (a test folder's namespace) would hide the enum of the same name.
using TcpState = GoNetTools.TcpState;

/// <summary>netstat -anv -p tcp in both macOS layouts (hand-written fixtures, see tests/fixtures/tcpstate/macos/README.md).</summary>
public sealed class MacNetstatTableParserTests
{
    internal static string FixturePath(string name) => Repo.Fixture("tcpstate", "macos", name);

    private static List<TcpConnection> Parse(string fixture, List<string> warnings, TcpStateQuery? query = null)
    {
        using var reader = new StreamReader(FixturePath(fixture));
        return MacNetstatTableParser.Parse(reader, query ?? new TcpStateQuery(), fixture, warnings.Add).ToList();
    }

    private static (string, int, string, int) Tuple(TcpConnection r) => (r.LocalAddress, r.LocalPort, r.RemoteAddress, r.RemotePort);

    [SkippableFact]
    public void New_layout_gives_every_row_with_states_endpoints_and_process_names()
    {
        var warnings = new List<string>();
        var rows = Parse("netstat-anv-macos14.txt", warnings);

        Assert.Empty(warnings);
        Assert.Equal(15, rows.Count);
        Assert.Equal(
            new[]
            {
                TcpState.Established, TcpState.TimeWait, TcpState.TimeWait, TcpState.CloseWait, TcpState.Listen, TcpState.Listen,
                TcpState.Established, TcpState.TimeWait, TcpState.SynSent, TcpState.FinWait1, TcpState.FinWait2, TcpState.LastAck,
                TcpState.Closing, TcpState.SynReceived, TcpState.Closed,
            },
            rows.Select(r => r.State));
        Assert.Equal(("192.168.1.23", 52100, "140.82.114.26", 443), Tuple(rows[0]));
        Assert.Equal((4242, "go"), (rows[0].OwningProcess, rows[0].ProcessName));
        Assert.Equal(IPFamily.IPv4, rows[0].AddressFamily);
        // A name with spaces shifts the later columns; the row must still read right.
        Assert.Equal(("127.0.0.1", 8080, "127.0.0.1", 50000), Tuple(rows[3]));
        Assert.Equal((1403, "Google Chrome He"), (rows[3].OwningProcess, rows[3].ProcessName));
        Assert.Equal(("::1", 8080, "::1", 50001), Tuple(rows[6]));
        Assert.Equal(("2001:db8:85a3::8a2e:370:7334", 49152, "2001:db8::1", 443), Tuple(rows[8]));
        Assert.Equal((null, null), (rows[13].OwningProcess, rows[13].ProcessName)); // ":0": no owner
    }

    [SkippableFact]
    public void Wildcards_and_dual_stack_listeners_get_the_family_of_their_protocol()
    {
        var rows = Parse("netstat-anv-macos14.txt", new List<string>(), new TcpStateQuery { States = new[] { TcpState.Listen } });
        Assert.Equal(2, rows.Count);
        Assert.Equal(("::", 8080, "::", 0, IPFamily.IPv6), (rows[0].LocalAddress, rows[0].LocalPort, rows[0].RemoteAddress, rows[0].RemotePort, rows[0].AddressFamily));
        Assert.Equal((532, "gonettools-lab"), (rows[0].OwningProcess, rows[0].ProcessName));
        Assert.Equal(("0.0.0.0", 22, "0.0.0.0", 0, IPFamily.IPv4), (rows[1].LocalAddress, rows[1].LocalPort, rows[1].RemoteAddress, rows[1].RemotePort, rows[1].AddressFamily));
    }

    [SkippableFact]
    public void IPv6_scope_is_dropped_from_the_address_and_the_port_read_after_it()
    {
        var rows = Parse("netstat-anv-macos14.txt", new List<string>(), new TcpStateQuery { Family = IPFamily.IPv6 });
        Assert.All(rows, r => Assert.Equal(IPFamily.IPv6, r.AddressFamily));
        Assert.Equal(4, rows.Count); // tcp46 listener, ::1, fe80::1%lo0, 2001:db8
        var scoped = rows.Single(r => r.LocalAddress.StartsWith("fe80", StringComparison.Ordinal));
        Assert.Equal(("fe80::1", 443, "fe80::1", 50432), Tuple(scoped));
    }

    [SkippableFact]
    public void TimeWait_rows_have_no_owner_even_where_netstat_prints_the_last_pid()
    {
        var rows = Parse("netstat-anv-macos14.txt", new List<string>(), new TcpStateQuery { States = new[] { TcpState.TimeWait } });
        Assert.Equal(new[] { 52101, 52102, 443 }, rows.Select(r => r.LocalPort));
        Assert.All(rows, r => Assert.Null(r.OwningProcess));
        Assert.All(rows, r => Assert.Null(r.ProcessName));
    }

    [SkippableFact]
    public void Old_layout_reads_the_pid_column()
    {
        var warnings = new List<string>();
        var rows = Parse("netstat-anv-macos11.txt", warnings);

        Assert.Empty(warnings);
        Assert.Equal(new[] { TcpState.Established, TcpState.TimeWait, TcpState.Listen, TcpState.Established, TcpState.TimeWait, TcpState.Listen }, rows.Select(r => r.State));
        Assert.Equal(417, rows[0].OwningProcess);
        Assert.Null(rows[0].ProcessName); // the old layout has no names; the back-end looks them up
        Assert.Null(rows[1].OwningProcess);
        Assert.Equal(("::", 8080, 532), (rows[2].LocalAddress, rows[2].LocalPort, rows[2].OwningProcess));
        Assert.Equal(("fe80::1", 443, "fe80::1", 50432), Tuple(rows[3]));
        Assert.Equal(777, rows[3].OwningProcess);
        Assert.Equal(("127.0.0.1", 5432, "0.0.0.0", 0), Tuple(rows[5]));
        Assert.Null(rows[5].OwningProcess); // pid 0
    }

    [SkippableFact]
    public void Garbage_lines_are_skipped_with_a_warning_naming_each()
    {
        var warnings = new List<string>();
        var rows = Parse("netstat-anv-garbage.txt", warnings);

        Assert.Equal(new[] { 52100, 8081 }, rows.Select(r => r.LocalPort));
        Assert.Equal(7, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("netstat-anv-garbage.txt", w));
        Assert.Contains(warnings, w => w.Contains("line 4") && w.Contains("999.168.1.23"));
        Assert.Contains(warnings, w => w.Contains("line 5") && w.Contains("DANCING"));
        Assert.Contains(warnings, w => w.Contains("line 6") && w.Contains("192.168.1.23.70000"));
        Assert.Contains(warnings, w => w.Contains("line 7"));
        Assert.Contains(warnings, w => w.Contains("line 8") && w.Contains("not netstat output"));
        Assert.Contains(warnings, w => w.Contains("line 9") && w.Contains("::1.8080")); // tcp4 cannot hold IPv6 addresses
        Assert.Contains(warnings, w => w.Contains("line 10") && w.Contains("udp4"));
    }

    [SkippableFact]
    public void Rows_before_a_header_and_a_header_without_the_needed_columns_are_reported()
    {
        var text = "tcp4 0 0 1.2.3.4.80 5.6.7.8.443 ESTABLISHED\nProto Recv-Q Send-Q Foo Bar\ntcp4 0 0 1.2.3.4.80 5.6.7.8.443 ESTABLISHED\n"
            + "Proto Recv-Q Send-Q Local Address Foreign Address (state)\ntcp4 0 0 1.2.3.4.80 5.6.7.8.443 ESTABLISHED\n";
        var warnings = new List<string>();
        var rows = MacNetstatTableParser.Parse(new StringReader(text), new TcpStateQuery(), "text", warnings.Add).ToList();

        var row = Assert.Single(rows); // the last line, under the usable header
        Assert.Equal(("1.2.3.4", 80, "5.6.7.8", 443), Tuple(row));
        Assert.Null(row.OwningProcess); // no pid column in plain netstat -an
        Assert.Equal(3, warnings.Count);
        Assert.Contains("line 1", warnings[0]);
        Assert.Contains("line 2", warnings[1]);
        Assert.Contains("line 3", warnings[2]);
    }

    [SkippableFact]
    public void Names_under_a_plain_pid_header_still_read()
    {
        var text = "Proto Recv-Q Send-Q Local Address Foreign Address (state) rhiwat shiwat pid epid\n"
            + "tcp4 0 0 1.2.3.4.80 5.6.7.8.443 ESTABLISHED 1 1 curl:77 0\n"
            + "tcp4 0 0 1.2.3.4.81 5.6.7.8.443 ESTABLISHED 1 1 78 0\n"
            + "tcp4 0 0 1.2.3.4.82 5.6.7.8.443 ESTABLISHED 1 1 curl:x 0\n";
        var warnings = new List<string>();
        var rows = MacNetstatTableParser.Parse(new StringReader(text), new TcpStateQuery(), "text", warnings.Add).ToList();
        Assert.Equal(new int?[] { 77, 78 }, rows.Select(r => r.OwningProcess));
        Assert.Equal(new[] { "curl", null }, rows.Select(r => r.ProcessName));
        Assert.Contains("line 4", Assert.Single(warnings));
    }

    [SkippableFact]
    public void Empty_input_gives_nothing_and_no_warning()
    {
        var warnings = new List<string>();
        Assert.Empty(MacNetstatTableParser.Parse(new StringReader(""), new TcpStateQuery(), "empty", warnings.Add));
        Assert.Empty(warnings);
    }
}
