using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Platform;
using GoNetTools.Tcp;
using GoNetTools.Platform.Linux;
using GoNetTools.Platform.MacOS;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

public sealed class PortBudgetParserTests
{
    [SkippableTheory]
    [InlineData("32768\t60999\n", true, 32768, 60999)]
    [InlineData("1024 65535", true, 1024, 65535)]
    [InlineData("60999 32768", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    [InlineData("garbage", false, 0, 0)]
    [InlineData("1 2 3", false, 0, 0)]
    public void LinuxRange(string text, bool ok, int start, int end)
    {
        Assert.Equal(ok, LinuxEphemeralPorts.TryParseRange(text, out int s, out int e));
        if (ok)
        {
            Assert.Equal((start, end), (s, e));
        }
    }

    [SkippableTheory]
    [InlineData("", 0)]
    [InlineData("8080", 0)]
    [InlineData("40000", 1)]
    [InlineData("8080,50000-50009,61000-61010", 10)]
    [InlineData("32000-32770", 3)]
    [InlineData("x,50000-y,50001", 1)]
    public void LinuxReservedPortsCountOnlyInsideTheRange(string text, int expected) =>
        Assert.Equal(expected, LinuxEphemeralPorts.CountReserved(text, 32768, 60999));

    [SkippableFact]
    public void LinuxFixtureRangeMinusReserved()
    {
        var range = new LinuxEphemeralPorts(Repo.Fixture("portbudget", "linux")).ReadRange();
        Assert.Equal(28232, range.Size);
        Assert.Equal(10, range.Reserved);
        Assert.Equal(28222, range.Usable);
        Assert.Equal(60, new LinuxEphemeralPorts("/").ReadTimeWait().Seconds);
    }

    [SkippableFact]
    public void LinuxMissingRangeFileIsPortRangeUnavailable()
    {
        var e = Assert.Throws<GoNetToolsException>(() => new LinuxEphemeralPorts("/nonexistent-root").ReadRange());
        Assert.Equal(ErrorIds.PortRangeUnavailable, e.ErrorId);
    }

    [SkippableFact]
    public void WindowsNetshOutputs()
    {
        Assert.True(WindowsEphemeralPorts.TryParseDynamicPort(File.ReadAllText(Repo.Fixture("portbudget", "windows", "dynamicport.txt")), out int start, out int count));
        Assert.Equal((49152, 16384), (start, count));
        var ranges = NetshParser.ParseExcludedRanges(File.ReadAllText(Repo.Fixture("portbudget", "windows", "excludedportrange.txt"))).Select(r => (r.Start, r.End)).ToList();
        Assert.Equal(4, ranges.Count);
        Assert.Equal(160 + 100, WindowsEphemeralPorts.CountExcluded(ranges, 49152, 65535));
        Assert.False(WindowsEphemeralPorts.TryParseDynamicPort("Start Port : 60000\nNumber of Ports : 9000", out _, out _));
        Assert.False(WindowsEphemeralPorts.TryParseDynamicPort("", out _, out _));
    }

    [SkippableFact]
    public void WindowsTimeWaitSaysWhenItIsTheOsDefault()
    {
        var absent = WindowsEphemeralPorts.FromRegistryValue(null);
        Assert.Equal(120, absent.Seconds);
        Assert.Contains("not set (OS default", absent.Source);
        var set = WindowsEphemeralPorts.FromRegistryValue(30);
        Assert.Equal(30, set.Seconds);
        Assert.Contains("registry", set.Source);
    }

    [SkippableFact]
    public void MacSysctlOutput()
    {
        var values = MacEphemeralPorts.ParseSysctlValues(File.ReadAllText(Repo.Fixture("portbudget", "macos", "sysctl.txt")));
        Assert.Equal((49152, 65535, 15000), values);
        Assert.Equal(30, MacEphemeralPorts.FromMsl(15000).Seconds);
        Assert.Null(MacEphemeralPorts.ParseSysctlValues("49152\n"));
        Assert.Null(MacEphemeralPorts.ParseSysctlValues("a\nb\nc"));
    }

    [SkippableFact]
    public void SustainableRateAndExhaustion()
    {
        var range = new EphemeralPortRange(32768, 60999, 0, "test");
        var tally = new GoNetTools.Tcp.TcpStateTally();
        var budget = GoNetTools.Tcp.PortBudgetCalculator.Compute(range, new TimeWaitLength(60, "t"), "s", "d", tally, 10, 1000);
        Assert.Equal(470.53, budget.SustainableConnectionsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(28.2), budget.TimeToExhaustion);
        var slow = GoNetTools.Tcp.PortBudgetCalculator.Compute(range, new TimeWaitLength(60, "t"), "s", "d", tally, 10, 400);
        Assert.Null(slow.TimeToExhaustion);
    }
}

/// <summary>Get-TcpPortBudget and Watch-TcpState through a runspace: on a fixture root, and live on loopback.</summary>
public sealed class PortBudgetCmdletTests
{
    private static ModuleRunspace FixtureRunspace()
    {
        var rs = new ModuleRunspace();
        rs.Invoke("$GoNetToolsSystemRoot = '" + Repo.Fixture("portbudget", "linux") + "'");
        return rs;
    }

    [SkippableFact]
    public void BudgetTowardOneDestinationCountsItsSocketsByState()
    {
        using var rs = FixtureRunspace();
        var p = rs.Invoke("Get-TcpPortBudget -RemoteAddress 10.0.0.5 -RemotePort 443");
        Assert.Empty(p.AllErrors);
        var b = Assert.Single(p.Objects<TcpPortBudget>());
        Assert.Equal(28222, b.UsablePorts);
        Assert.Equal(5, b.InUse);
        Assert.Equal(3, b.TimeWait);
        Assert.Equal(1, (int)b.InUseByState["Established"]!);
        Assert.Equal(1, (int)b.InUseByState["CloseWait"]!);
        Assert.Equal(28217, b.FreePorts);
        Assert.Equal(60, b.TimeWaitSeconds);
        Assert.Equal(Math.Round(28217 / 60.0, 2), b.SustainableConnectionsPerSecond);
        Assert.Null(b.ObservedConnectionsPerSecond);
        // Positive control: without the port filter the :80 socket counts too, and the listener never does.
        var all = Assert.Single(rs.Invoke("Get-TcpPortBudget -RemoteAddress 10.0.0.0/24").Objects<TcpPortBudget>());
        Assert.Equal(7, all.InUse);
    }

    [SkippableFact]
    public void BadAddressIsInvalidArgument()
    {
        using var rs = FixtureRunspace();
        var e = Assert.Single(rs.Invoke("Get-TcpPortBudget -RemoteAddress 10.0.0.300").AllErrors);
        Assert.StartsWith("InvalidAddressFilter", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
    }

    [SkippableFact]
    public void MissingRangeFileIsAnErrorRecord()
    {
        using var rs = new ModuleRunspace();
        rs.Invoke("$GoNetToolsSystemRoot = '" + Repo.Fixture("nic") + "'");
        var e = Assert.Single(rs.Invoke("Get-TcpPortBudget").AllErrors);
        Assert.StartsWith("PortRangeUnavailable", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, e.CategoryInfo.Category);
    }

    [SkippableFact]
    public void WatchOnFixtureWritesOneSamplePerTick()
    {
        using var rs = FixtureRunspace();
        var p = rs.Invoke("Watch-TcpState -Interval 00:00:00.2 -Duration 00:00:00.5 -RemoteAddress 10.0.0.5 -RemotePort 443");
        Assert.Empty(p.AllErrors);
        var samples = p.Objects<TcpStateSample>().ToArray();
        Assert.Equal(3, samples.Length);
        Assert.All(samples, s => Assert.Equal((5, 3, 1, 1), (s.Total, s.TimeWait, s.Established, s.CloseWait)));
        Assert.Null(samples[0].TimeWaitGrowthPerSecond);
        Assert.Equal(0, samples[2].TimeWaitGrowthPerSecond);
    }

    [SkippableTheory]
    [InlineData("-Interval 00:00:00", "InvalidInterval")]
    [InlineData("-Duration -00:00:01", "InvalidDuration")]
    [InlineData("-RemoteAddress nope", "InvalidAddressFilter")]
    public void WatchBadInput(string arguments, string id)
    {
        using var rs = FixtureRunspace();
        var e = Assert.Single(rs.Invoke("Watch-TcpState " + arguments).AllErrors);
        Assert.StartsWith(id, e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
    }

    [SkippableFact]
    public void LiveWatchAndBudgetSeeTimeWaitWeCreateOnLoopback()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var rs = new ModuleRunspace();
        var churn = System.Threading.Tasks.Task.Run(async () =>
        {
            await System.Threading.Tasks.Task.Delay(300);
            for (int i = 0; i < 40; i++)
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                using var server = await listener.AcceptTcpClientAsync();
                client.Close(); // the client closes first: its socket goes to TIME_WAIT
                await System.Threading.Tasks.Task.Delay(10);
            }
        });
        var p = rs.Invoke($"Get-TcpPortBudget -RemoteAddress 127.0.0.1 -RemotePort {port} -SampleSeconds 2");
        churn.Wait();
        var b = Assert.Single(p.Objects<TcpPortBudget>());
        Assert.True(b.TimeWait >= 40, $"TIME_WAIT {b.TimeWait}");
        Assert.InRange(b.ObservedConnectionsPerSecond!.Value, 40 / 2.5, 41 / 1.9);
        var w = rs.Invoke($"Watch-TcpState -Interval 00:00:00.2 -Duration 00:00:00.2 -RemotePort {port}").Objects<TcpStateSample>().First();
        Assert.True(w.TimeWait >= 40, $"TIME_WAIT {w.TimeWait}");
    }
}
