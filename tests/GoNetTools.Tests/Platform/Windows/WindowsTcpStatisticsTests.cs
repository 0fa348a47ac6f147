using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using GoNetTools.Foundation;
using GoNetTools.Platform.Windows;
using Xunit;

namespace GoNetTools.Tests.Platform.Windows;

// GoNetTools.Tests.TcpState (a test folder's namespace) would hide the enum of the same name.
using TcpState = GoNetTools.TcpState;

/// <summary>MIB_TCPSTATS2 / MIB_TCPSTATS bytes and the typed TcpStatistic built from them.</summary>
public sealed class WindowsTcpStatisticsTests
{
    private static OrderedDictionary Read(string name, bool is64)
    {
        Assert.True(WindowsTcpStatistics.TryParse(WindowsTcpTableParserTests.Fixture(name), is64, out var counters));
        return counters;
    }

    /// <summary>What ReadCounters builds: IPv4 + IPv6 summed, and the TIME_WAIT rows of both tables.</summary>
    private static OrderedDictionary Summed()
    {
        var total = new OrderedDictionary(StringComparer.Ordinal);
        WindowsTcpStatistics.Add(total, Read("tcpstats2-ipv4.bin", true));
        WindowsTcpStatistics.Add(total, Read("tcpstats2-ipv6.bin", true));
        var warnings = new List<string>();
        total[WindowsTcpStatistics.TimeWaitCountName] = (long)(
            WindowsTcpTableParser.CountState(WindowsTcpTableParserTests.Fixture("tcp4-owner-pid.bin"), GoNetTools.IPFamily.IPv4, GoNetTools.TcpState.TimeWait, "v4", warnings.Add)
            + WindowsTcpTableParser.CountState(WindowsTcpTableParserTests.Fixture("tcp6-owner-pid.bin"), GoNetTools.IPFamily.IPv6, GoNetTools.TcpState.TimeWait, "v6", warnings.Add));
        Assert.Empty(warnings);
        return total;
    }

    [SkippableFact]
    public void Stats2_reads_every_member_including_64_bit_segments_past_the_padding()
    {
        var c = Read("tcpstats2-ipv4.bin", is64: true);
        Assert.Equal(3L, c["TcpRtoAlgorithm"]);
        Assert.Equal(300L, c["TcpRtoMin"]);
        Assert.Equal(120000L, c["TcpRtoMax"]);
        Assert.Equal(-1L, c["TcpMaxConn"]); // dynamic limit
        Assert.Equal(1500L, c["TcpActiveOpens"]);
        Assert.Equal(700L, c["TcpPassiveOpens"]);
        Assert.Equal(25L, c["TcpAttemptFails"]);
        Assert.Equal(40L, c["TcpEstabResets"]);
        Assert.Equal(12L, c["TcpCurrEstab"]);
        Assert.Equal(6_000_000_000L, c["TcpInSegs"]); // above 2^32: read as the DWORD64 it is
        Assert.Equal(5_000_000_123L, c["TcpOutSegs"]);
        Assert.Equal(4200L, c["TcpRetransSegs"]);
        Assert.Equal(3L, c["TcpInErrs"]);
        Assert.Equal(90L, c["TcpOutRsts"]);
        Assert.Equal(31L, c["TcpNumConns"]);
        Assert.Equal(15, c.Count);
    }

    [SkippableFact]
    public void Legacy_stats_layout_reads_32_bit_segments_unsigned()
    {
        var c = Read("tcpstats-ipv4.bin", is64: false);
        Assert.Equal(4_000_000_000L, c["TcpInSegs"]);
        Assert.Equal(3_000_000L, c["TcpOutSegs"]);
        Assert.Equal(4200L, c["TcpRetransSegs"]);
        Assert.Equal(31L, c["TcpNumConns"]);
    }

    [SkippableFact]
    public void Short_structs_are_refused()
    {
        var bytes = WindowsTcpTableParserTests.Fixture("tcpstats2-ipv4.bin");
        Assert.False(WindowsTcpStatistics.TryParse(bytes.AsSpan(0, 71), is64: true, out _));
        Assert.True(WindowsTcpStatistics.TryParse(bytes.AsSpan(0, 60), is64: false, out _)); // positive control
        Assert.False(WindowsTcpStatistics.TryParse(bytes.AsSpan(0, 59), is64: false, out _));
    }

    [SkippableFact]
    public void Families_are_summed_but_stack_settings_are_not()
    {
        var total = Summed();
        Assert.Equal(2000L, total["TcpActiveOpens"]);
        Assert.Equal(800L, total["TcpPassiveOpens"]);
        Assert.Equal(16L, total["TcpCurrEstab"]);
        Assert.Equal(6_000_001_000L, total["TcpInSegs"]);
        Assert.Equal(300L, total["TcpRtoMin"]);
        Assert.Equal(-1L, total["TcpMaxConn"]);
        Assert.Equal(37L, total["TcpNumConns"]);
        Assert.Equal(3L, total[WindowsTcpStatistics.TimeWaitCountName]);
    }

    [SkippableFact]
    public void ToStatistic_maps_counters_and_leaves_what_Windows_lacks_null()
    {
        var stat = WindowsTcpStatistics.ToStatistic(Summed(), new DateTime(2026, 11, 23), "host", null, null);
        Assert.Equal(2000, stat.ActiveOpens);
        Assert.Equal(800, stat.PassiveOpens);
        Assert.Equal(30, stat.AttemptFails);
        Assert.Equal(50, stat.EstabResets);
        Assert.Equal(16, stat.CurrEstab);
        Assert.Equal(6_000_001_000, stat.InSegs);
        Assert.Equal(5_000_002_123, stat.OutSegs);
        Assert.Equal(4210, stat.RetransSegs);
        Assert.Equal(4, stat.InErrs);
        Assert.Equal(99, stat.OutRsts);
        Assert.Equal(3, stat.TimeWaitCount);
        Assert.Equal(4210.0 / 5_000_002_123, stat.RetransmitRate!.Value, 12);
        Assert.Null(stat.OrigDataSent);
        Assert.Null(stat.TimeWaitEntries);
        Assert.Null(stat.ListenOverflows);
        Assert.Null(stat.SynRetrans);
        Assert.Equal("host", stat.Scope);
    }

    [SkippableFact]
    public void Interval_deltas_subtract_counters_and_keep_gauges()
    {
        var before = Summed();
        var after = Summed();
        after["TcpActiveOpens"] = 2100L;
        after["TcpRetransSegs"] = 4215L;
        after["TcpOutSegs"] = 5_000_003_123L;
        after[WindowsTcpStatistics.TimeWaitCountName] = 250L;
        after["TcpNumConns"] = 300L;

        var (delta, rates) = TcpStatisticMath.Delta(before, after, TimeSpan.FromSeconds(2));
        var stat = WindowsTcpStatistics.ToStatistic(delta, DateTime.Now, "host", TimeSpan.FromSeconds(2), rates);

        Assert.Equal(100, stat.ActiveOpens);
        Assert.Equal(250, stat.TimeWaitCount); // a population: the value at the end, not a difference
        Assert.Equal(300L, delta["TcpNumConns"]);
        Assert.Equal(0.005, stat.RetransmitRate!.Value, 9);
        Assert.Equal(50.0, (double)rates["TcpActiveOpens"]!);
    }
}
