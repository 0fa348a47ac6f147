using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Tcp;

/// <summary>The TCP-state cmdlets through a real runspace: binding, validation, errors, fixtures, views.</summary>
public sealed class TcpCmdletTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    private PipelineResult OnFixture(string tree, string script) =>
        _ps.Invoke($"$GoNetToolsSystemRoot = '{Repo.Fixture("tcpstate", "linux", tree)}'; {script}");

    [SkippableFact]
    public void Port_out_of_range_fails_parameter_validation()
    {
        var result = _ps.Invoke("Get-TcpConnection -LocalPort 70000");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ParameterArgumentValidationError,GoNetTools.Commands.GetTcpConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Empty(result.Output);

        var timeWait = _ps.Invoke("Get-TcpTimeWait -RemotePort -1");
        Assert.Equal("ParameterArgumentValidationError,GoNetTools.Commands.GetTcpTimeWaitCommand", Assert.Single(timeWait.AllErrors).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void Bad_address_filter_is_an_invalid_argument_naming_the_input()
    {
        var result = _ps.Invoke("Get-TcpTimeWait -RemoteAddress 10.0.0.0/8, 'proxy.example'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InvalidAddressFilter,GoNetTools.Commands.GetTcpTimeWaitCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("proxy.example", error.TargetObject);
        Assert.Contains("prefix such as 10.0.0.0/8", error.ErrorDetails.RecommendedAction);
    }

    [SkippableFact]
    public void State_must_be_a_known_name()
    {
        var result = _ps.Invoke("Get-TcpConnection -State Sleeping");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("CannotConvertArgumentNoMessage,GoNetTools.Commands.GetTcpConnectionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("TimeWait", error.ToString());
    }

    [SkippableFact]
    public void Fixture_tree_rows_come_through_the_pipeline_typed()
    {
        var result = OnFixture("proc-recorded", "Get-TcpTimeWait");
        Assert.Empty(result.AllErrors);
        var rows = result.Objects<TcpConnection>().ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(GoNetTools.TcpState.TimeWait, r.State));
        Assert.All(rows, r => Assert.Null(r.OwningProcess));
        Assert.Equal("GoNetTools.TcpConnection", result.Output[0].TypeNames[0]);
    }

    [SkippableFact]
    public void Filters_combine_ports_cidr_family_and_state()
    {
        Assert.Equal(3, OnFixture("proc-recorded", "Get-TcpTimeWait -RemotePort 8443").Output.Count);
        Assert.Equal(3, OnFixture("proc-recorded", "Get-TcpTimeWait -RemoteAddress 127.0.0.0/8").Output.Count);
        Assert.Equal(3, OnFixture("proc-recorded", "Get-TcpTimeWait -AddressFamily IPv6").Output.Count);
        Assert.Equal(2, OnFixture("proc-recorded", "Get-TcpTimeWait -LocalPort 39732, 60550").Output.Count);
        Assert.Equal(3, OnFixture("proc-recorded", "Get-TcpConnection Listen").Output.Count);
        // IPv4-mapped ::ffff:127.0.0.1 matches an IPv4 prefix: 5 IPv4 + 1 mapped established rows on 127/8.
        Assert.Equal(6, OnFixture("proc-recorded", "Get-TcpConnection -State Established -LocalAddress 127.0.0.0/8").Output.Count);
    }

    [SkippableFact]
    public void No_match_returns_nothing_and_no_error()
    {
        var result = OnFixture("proc-recorded", "Get-TcpConnection -RemotePort 1 -State Established");
        Assert.Empty(result.Output);
        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Warnings);
    }

    [SkippableFact]
    public void Malformed_fixture_lines_become_warnings_naming_them_and_good_rows_still_come()
    {
        var result = OnFixture("proc-malformed", "Get-TcpConnection -AddressFamily IPv4");
        Assert.Empty(result.AllErrors);
        Assert.Equal(9, result.Output.Count);
        Assert.Equal(2, result.Warnings.Count);
        Assert.All(result.Warnings, w => Assert.Contains("proc/net/tcp", w.Replace('\\', '/')));
    }

    [SkippableFact]
    public void Missing_tables_are_a_clear_terminating_error_not_an_exception()
    {
        var empty = System.IO.Directory.CreateTempSubdirectory("gnt-empty-").FullName;
        try
        {
            var result = _ps.Invoke($"$GoNetToolsSystemRoot = '{empty}'; Get-TcpConnection");
            var error = Assert.Single(result.AllErrors);
            Assert.Equal("TcpTableUnavailable,GoNetTools.Commands.GetTcpConnectionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);

            var stats = _ps.Invoke($"$GoNetToolsSystemRoot = '{empty}'; Get-TcpStatistic");
            Assert.Equal("TcpCountersUnavailable,GoNetTools.Commands.GetTcpStatisticCommand", Assert.Single(stats.AllErrors).FullyQualifiedErrorId);
        }
        finally
        {
            System.IO.Directory.Delete(empty, true);
        }
    }

    [SkippableFact]
    public void Statistic_from_fixture_is_typed_and_keeps_every_raw_counter()
    {
        var result = OnFixture("proc-recorded", "Get-TcpStatistic");
        var stat = Assert.Single(result.Objects<TcpStatistic>());
        Assert.Equal(11, stat.ActiveOpens);
        Assert.Equal(6, stat.TimeWaitCount);
        Assert.Null(stat.Interval);
        Assert.True(stat.Raw.Count > 100);
    }

    [SkippableTheory]
    [InlineData("-Interval 0")]
    [InlineData("-Interval -00:00:01")]
    [InlineData("-Interval 2.00:00:00")]
    public void Interval_out_of_range_is_refused(string args)
    {
        var result = _ps.Invoke("Get-TcpStatistic " + args);
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InvalidInterval,GoNetTools.Commands.GetTcpStatisticCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void Interval_gives_deltas_and_rates_on_the_live_stack()
    {
        var result = _ps.Invoke("Get-TcpStatistic -Interval 00:00:00.300");
        var stat = Assert.Single(result.Objects<TcpStatistic>());
        Assert.NotNull(stat.Interval);
        Assert.True(stat.Interval >= TimeSpan.FromMilliseconds(300));
        Assert.NotNull(stat.Rates);
        Assert.True(stat.Rates!.Contains("TcpActiveOpens"));
        Assert.True(stat.ActiveOpens >= 0 && stat.ActiveOpens < 1_000_000, "a delta, not a total since boot");
    }

    [SkippableFact]
    public void Live_listening_socket_is_found_with_its_owning_process()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var result = _ps.Invoke($"Get-TcpConnection -State Listen -LocalPort {port} -IncludeInfo");
        var row = Assert.Single(result.Objects<TcpConnection>());
        Assert.Equal(Environment.ProcessId, row.OwningProcess);
        Assert.False(string.IsNullOrEmpty(row.ProcessName));
        Assert.NotNull(row.Info);

        var byPid = _ps.Invoke($"Get-TcpConnection -OwningProcess {Environment.ProcessId} -LocalPort {port}");
        Assert.Single(byPid.Output);
        Assert.Empty(_ps.Invoke($"Get-TcpConnection -OwningProcess 999999999 -LocalPort {port}").Output);
    }
}
