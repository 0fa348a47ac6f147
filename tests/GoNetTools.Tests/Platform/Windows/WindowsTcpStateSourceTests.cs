using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using GoNetTools.Platform;
using GoNetTools.Platform.Windows;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Platform.Windows;

// GoNetTools.Tests.TcpState (a test folder's namespace) would hide the enum of the same name.
using TcpState = GoNetTools.TcpState;

/// <summary>
/// The Windows back-end with its two iphlpapi calls replaced by fakes that answer like the real ones with the
/// fixture bytes: family choice, owner names, counter sums, TIME_WAIT population and the no-IPv6 case.
/// </summary>
public sealed class WindowsTcpStateSourceTests
{
    private const uint AfInet = 2;
    private const uint AfInet6 = 23;

    private readonly List<uint> _tableCalls = new();

    /// <summary>The IPv4 fixture with the ESTABLISHED row (row 1) owned by this test process.</summary>
    private static byte[] IPv4TableOwnedByUs()
    {
        var table = WindowsTcpTableParserTests.Fixture("tcp4-owner-pid.bin");
        BitConverter.TryWriteBytes(table.AsSpan(WindowsTcpTableParser.HeaderSize + WindowsTcpTableParser.IPv4RowSize + 20, 4), (uint)Environment.ProcessId);
        return table;
    }

    private SizedNativeCall Table(uint family, bool ipv6Installed = true) => (nint buffer, ref uint size) =>
    {
        _tableCalls.Add(family);
        if (family == AfInet6 && !ipv6Installed)
        {
            return GrowingTableCall.ErrorNotSupported;
        }
        var bytes = family == AfInet ? IPv4TableOwnedByUs() : WindowsTcpTableParserTests.Fixture("tcp6-owner-pid.bin");
        if (buffer == 0 || size < bytes.Length)
        {
            size = (uint)bytes.Length;
            return GrowingTableCall.ErrorInsufficientBuffer;
        }
        Marshal.Copy(bytes, 0, buffer, bytes.Length);
        return GrowingTableCall.ErrorSuccess;
    };

    private static TcpStatisticsCall Statistics(bool ipv6Installed = true, uint ipv4Error = 0) => (uint family, byte[] buffer, out bool is64) =>
    {
        is64 = true;
        if (family == AfInet && ipv4Error != 0)
        {
            return ipv4Error;
        }
        if (family == AfInet6 && !ipv6Installed)
        {
            return GrowingTableCall.ErrorNotSupported;
        }
        WindowsTcpTableParserTests.Fixture(family == AfInet ? "tcpstats2-ipv4.bin" : "tcpstats2-ipv6.bin").CopyTo(buffer, 0);
        return GrowingTableCall.ErrorSuccess;
    };

    [SkippableFact]
    public void GetConnections_reads_both_families_and_names_the_owners_it_can()
    {
        var source = new WindowsTcpStateSource(family => Table(family), Statistics());
        var warnings = new List<string>();

        var rows = source.GetConnections(new TcpStateQuery(), warnings.Add).ToList();

        Assert.Empty(warnings);
        Assert.Equal(11, rows.Count);
        Assert.Equal(7, rows.Count(r => r.AddressFamily == IPFamily.IPv4));
        Assert.Equal(4, rows.Count(r => r.AddressFamily == IPFamily.IPv6));
        var ours = rows[1];
        Assert.Equal(Environment.ProcessId, ours.OwningProcess);
        using var self = Process.GetCurrentProcess();
        Assert.Equal(self.ProcessName, ours.ProcessName);
        Assert.All(rows.Where(r => r.State == TcpState.TimeWait), r => Assert.Null(r.ProcessName));
    }

    [SkippableFact]
    public void Family_query_reads_only_that_table_and_no_names_without_ResolveOwners()
    {
        var source = new WindowsTcpStateSource(family => Table(family), Statistics());

        var rows = source.GetConnections(new TcpStateQuery { Family = IPFamily.IPv4, ResolveOwners = false }, _ => { }).ToList();

        Assert.Equal(7, rows.Count);
        Assert.All(_tableCalls, family => Assert.Equal(AfInet, family));
        Assert.Equal(Environment.ProcessId, rows[1].OwningProcess); // the pid comes with the row
        Assert.Null(rows[1].ProcessName);                           // the name lookup is what ResolveOwners pays for
    }

    [SkippableFact]
    public void Without_IPv6_the_IPv4_rows_come_with_a_warning()
    {
        var source = new WindowsTcpStateSource(family => Table(family, ipv6Installed: false), Statistics());
        var warnings = new List<string>();

        var rows = source.GetConnections(new TcpStateQuery { States = new[] { TcpState.TimeWait } }, warnings.Add).ToList();

        Assert.Equal(2, rows.Count);
        Assert.Contains("IPv6 is not installed", Assert.Single(warnings));
    }

    [SkippableFact]
    public void ReadCounters_sums_both_families_and_counts_TimeWait_rows()
    {
        var source = new WindowsTcpStateSource(family => Table(family), Statistics());
        var warnings = new List<string>();

        var stat = source.ToStatistic(source.ReadCounters(warnings.Add), DateTime.Now, null, null);

        Assert.Empty(warnings);
        Assert.Equal(2000, stat.ActiveOpens);
        Assert.Equal(3, stat.TimeWaitCount);
        Assert.Equal(6_000_001_000, stat.InSegs);
        Assert.Equal("host", stat.Scope);
    }

    [SkippableFact]
    public void ReadCounters_without_IPv6_reports_IPv4_and_a_failure_is_an_error()
    {
        var v4Only = new WindowsTcpStateSource(family => Table(family, ipv6Installed: false), Statistics(ipv6Installed: false));
        var warnings = new List<string>();
        var stat = v4Only.ToStatistic(v4Only.ReadCounters(warnings.Add), DateTime.Now, null, null);
        Assert.Equal(1500, stat.ActiveOpens);
        Assert.Equal(2, stat.TimeWaitCount);
        Assert.Equal(2, warnings.Count); // counters and table each say IPv6 is missing

        var denied = new WindowsTcpStateSource(family => Table(family), Statistics(ipv4Error: GrowingTableCall.ErrorAccessDenied));
        var e = Assert.Throws<GoNetToolsException>(() => denied.ReadCounters(_ => { }));
        Assert.Equal(ErrorIds.TcpCountersUnavailable, e.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, e.Kind);
        Assert.Contains("GetTcpStatisticsEx2 (IPv4)", e.Message);
    }
}
