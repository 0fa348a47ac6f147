using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using GoNetTools.Foundation;
using GoNetTools.Platform;
using GoNetTools.Platform.Linux;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Tcp;

/// <summary>/proc/net parsers on files recorded in a network namespace (tests/fixtures/tcpstate/linux/proc-recorded).</summary>
public sealed class ProcNetParserTests
{
    private static List<TcpConnection> Parse(string tree, string file, IPFamily family, List<string> warnings, TcpStateQuery? query = null)
    {
        var path = Repo.Fixture("tcpstate", "linux", tree, "proc", "net", file);
        using var reader = new StreamReader(path);
        return ProcNetTcpParser.Parse(reader, family, query ?? new TcpStateQuery(), path, warnings.Add).ToList();
    }

    [SkippableFact]
    public void Recorded_ipv4_table_gives_every_row_with_states_ports_and_timer()
    {
        var warnings = new List<string>();
        var rows = Parse("proc-recorded", "tcp", IPFamily.IPv4, warnings);

        Assert.Empty(warnings);
        Assert.Equal(9, rows.Count);
        Assert.Single(rows, r => r.State == GoNetTools.TcpState.Listen && r.LocalAddress == "127.0.0.1" && r.LocalPort == 8080);
        Assert.Equal(5, rows.Count(r => r.State == GoNetTools.TcpState.Established));
        var timeWait = rows.Where(r => r.State == GoNetTools.TcpState.TimeWait).ToList();
        Assert.Equal(new[] { 39732, 39740, 39744 }, timeWait.Select(r => r.LocalPort));
        Assert.All(timeWait, r =>
        {
            Assert.Equal(8080, r.RemotePort);
            Assert.Equal(0UL, r.Inode);
            // "03:00001751": 0x1751 = 5969 ticks of USER_HZ 100.
            Assert.Equal(TimeSpan.FromMilliseconds(59690), r.TimeWaitRemaining);
        });
        Assert.All(rows.Where(r => r.State != GoNetTools.TcpState.TimeWait), r => Assert.Null(r.TimeWaitRemaining));
    }

    [SkippableFact]
    public void Recorded_ipv6_table_decodes_loopback_any_and_ipv4_mapped_addresses()
    {
        var warnings = new List<string>();
        var rows = Parse("proc-recorded", "tcp6", IPFamily.IPv6, warnings);

        Assert.Empty(warnings);
        Assert.Equal(10, rows.Count);
        Assert.Contains(rows, r => r.State == GoNetTools.TcpState.Listen && r.LocalAddress == "::" && r.LocalPort == 9090);
        Assert.Contains(rows, r => r.State == GoNetTools.TcpState.Listen && r.LocalAddress == "::1" && r.LocalPort == 8443);
        Assert.Contains(rows, r => r.LocalAddress == "::ffff:127.0.0.1" && r.LocalPort == 9090 && r.State == GoNetTools.TcpState.Established);
        Assert.Equal(3, rows.Count(r => r.State == GoNetTools.TcpState.TimeWait && r.RemoteAddress == "::1" && r.RemotePort == 8443));
        Assert.All(rows, r => Assert.Equal(IPFamily.IPv6, r.AddressFamily));
    }

    [SkippableFact]
    public void State_query_is_applied_to_proc_rows()
    {
        var rows = Parse("proc-recorded", "tcp", IPFamily.IPv4, new List<string>(),
            new TcpStateQuery { States = new[] { GoNetTools.TcpState.Listen, GoNetTools.TcpState.TimeWait } });
        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain(rows, r => r.State == GoNetTools.TcpState.Established);
    }

    [SkippableFact]
    public void Malformed_lines_are_skipped_with_a_warning_naming_file_and_line()
    {
        var warnings = new List<string>();
        var rows = Parse("proc-malformed", "tcp", IPFamily.IPv4, warnings);

        Assert.Equal(9, rows.Count); // every good row survives
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains(Path.Combine("proc-malformed", "proc", "net", "tcp"), w));
        Assert.Contains(warnings, w => w.Contains("line 4", StringComparison.Ordinal) && w.Contains("ZZZZ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("line 6", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("   0: 0100007F:1F90 0100007F:9B24 01")]
    [InlineData("   0: 0100007F:FFFFF 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1")]
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 0000000000 00000000 0 0 1 1")]
    [InlineData("garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage")]
    public void Bad_lines_are_rejected_not_thrown(string line)
    {
        Assert.False(ProcNetTcpParser.TryParseLine(line, IPFamily.IPv4, new AddressTextCache(), out _));
    }

    [SkippableFact]
    public void Counter_files_give_nstat_names_and_the_time_wait_population()
    {
        var raw = new OrderedDictionary(StringComparer.Ordinal);
        var warnings = new List<string>();
        foreach (var file in new[] { "snmp", "netstat" })
        {
            using var reader = new StreamReader(Repo.Fixture("tcpstate", "linux", "proc-recorded", "proc", "net", file));
            ProcNetCounterParser.ParsePairs(reader, raw, file, warnings.Add);
        }
        using (var reader = new StreamReader(Repo.Fixture("tcpstate", "linux", "proc-recorded", "proc", "net", "sockstat")))
        {
            ProcNetCounterParser.ParseSockstat(reader, raw, "sockstat", warnings.Add);
        }

        Assert.Empty(warnings);
        Assert.Equal(11L, raw["TcpActiveOpens"]);
        Assert.Equal(-1L, raw["TcpMaxConn"]);
        Assert.Equal(6L, raw["SockstatTcpTw"]);
        Assert.True(raw.Contains("TcpExtTW"));
        Assert.True(raw.Contains("IpExtInOctets"));

        var statistic = LinuxTcpStatistic.FromRaw(raw, DateTime.Now, "fixture");
        Assert.Equal(11, statistic.ActiveOpens);
        Assert.Equal(10, statistic.CurrEstab);
        Assert.Equal(6, statistic.TimeWaitCount);
        Assert.Equal((long)raw["TcpExtTW"]!, statistic.TimeWaitEntries);
    }

    [SkippableFact]
    public void Counter_lines_that_do_not_pair_up_are_skipped_with_a_warning()
    {
        var raw = new OrderedDictionary(StringComparer.Ordinal);
        var warnings = new List<string>();
        using var reader = new StreamReader(Repo.Fixture("tcpstate", "linux", "proc-malformed", "proc", "net", "snmp"));
        ProcNetCounterParser.ParsePairs(reader, raw, "snmp", warnings.Add);

        Assert.Single(warnings);
        Assert.Contains("snmp", warnings[0]);
        Assert.False(raw.Contains("TcpActiveOpens"));
        Assert.True(raw.Contains("IpForwarding")); // the other sections still parse
    }

    [SkippableFact]
    public void Empty_files_give_nothing_and_no_warning()
    {
        var warnings = new List<string>();
        var rows = ProcNetTcpParser.Parse(new StringReader(""), IPFamily.IPv4, new TcpStateQuery(), "empty", warnings.Add).ToList();
        var raw = new OrderedDictionary();
        ProcNetCounterParser.ParsePairs(new StringReader(""), raw, "empty", warnings.Add);
        Assert.Empty(rows);
        Assert.Empty(raw);
        Assert.Empty(warnings);
    }

    [SkippableFact]
    public void Socket_links_are_recognised_only_in_their_exact_form()
    {
        Assert.True(ProcSocketOwners.TryParseSocketLink("socket:[47644]", out var inode));
        Assert.Equal(47644UL, inode);
        Assert.False(ProcSocketOwners.TryParseSocketLink("pipe:[47644]", out _));
        Assert.False(ProcSocketOwners.TryParseSocketLink("socket:[]", out _));
        Assert.False(ProcSocketOwners.TryParseSocketLink("/dev/null", out _));
    }
}
