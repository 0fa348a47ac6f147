using System.IO;
using System.Linq;
using GoNetTools.Tuning;
using GoNetTools.Platform.MacOS;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tests.Tuning;

/// <summary>Windows and macOS back-ends on recorded netsh/sysctl outputs and an in-memory registry.</summary>
public sealed class WindowsMacTunableStoreTests
{
    private const string DelayPath = @"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\TcpTimedWaitDelay";
    private static readonly TunableCatalog Catalog = TunableCatalog.Instance;

    private static string Recorded(string name) => File.ReadAllText(Path.Combine(Repo.Fixtures, "tuning", name));

    [SkippableFact]
    public void Netsh_outputs_parse()
    {
        Assert.Equal((49152, 16384), NetshParser.ParseDynamicPort(Recorded("windows/dynamicport-ipv4-default.txt")));
        Assert.Equal((10000, 55536), NetshParser.ParseDynamicPort(Recorded("windows/dynamicport-ipv6-wide.txt")));
        var excluded = NetshParser.ParseExcludedRanges(Recorded("windows/excludedportrange-tcp.txt"));
        Assert.Equal(4, excluded.Count);
        Assert.Equal((50000, 50059, true), excluded[2]);
        Assert.Equal("1688,5357,50000-50059,61000-61099", NetshParser.ToPortList(excluded));
        Assert.Null(NetshParser.ParseDynamicPort(""));
        Assert.Null(NetshParser.ParseDynamicPort("garbage\r\n:::\r\n"));
        Assert.Empty(NetshParser.ParseExcludedRanges("The requested operation requires elevation (Run as administrator).\r\n"));
    }

    private static (WindowsTunableStore Store, FakeRegistry Registry, RecordedRunner Netsh) Windows()
    {
        var registry = new FakeRegistry();
        var netsh = new RecordedRunner();
        netsh.Outputs["netsh int ipv4 show dynamicport tcp"] = (0, Recorded("windows/dynamicport-ipv4-default.txt"));
        netsh.Outputs["netsh int ipv6 show dynamicport tcp"] = (0, Recorded("windows/dynamicport-ipv6-wide.txt"));
        netsh.Outputs["netsh int ipv4 show excludedportrange protocol=tcp"] = (0, Recorded("windows/excludedportrange-tcp.txt"));
        netsh.Outputs["netsh int ipv4 set dynamicport tcp start=10000 num=55536"] = (0, "Ok.\r\n");
        return (new WindowsTunableStore(registry, netsh, Path.GetTempPath()), registry, netsh);
    }

    [SkippableFact]
    public void Windows_reports_an_absent_TcpTimedWaitDelay_as_not_set_and_never_a_number()
    {
        var (store, registry, _) = Windows();
        var delay = Catalog.Find("windows", "TimedWaitDelay")!;
        Assert.Null(store.ReadLive(delay));
        Assert.Equal("not set (OS default)", store.DescribeAbsent(delay));
        Assert.Empty(store.ReadBootConfig());
        registry.Values[DelayPath] = 60;
        Assert.Equal("60", store.ReadLive(delay));
        Assert.Equal("60", store.ReadBootConfig().Single().Value);
    }

    [SkippableFact]
    public void Windows_reads_ranges_from_netsh_and_writes_through_netsh_and_the_registry()
    {
        var (store, registry, netsh) = Windows();
        Assert.Equal("49152 65535", store.ReadLive(Catalog.Find("windows", "DynamicPortRangeIPv4")!));
        Assert.Equal("10000 65535", store.ReadLive(Catalog.Find("windows", "DynamicPortRangeIPv6")!));
        Assert.Equal("1688,5357,50000-50059,61000-61099", store.ReadLive(Catalog.Find("windows", "ExcludedPortRanges")!));

        store.WriteLive(Catalog.Find("windows", "DynamicPortRangeIPv4")!, "10000 65535");
        Assert.Contains("netsh int ipv4 set dynamicport tcp start=10000 num=55536", netsh.Calls);
        var delay = Catalog.Find("windows", "TimedWaitDelay")!;
        store.WriteLive(delay, "30");
        Assert.Equal(30, registry.Values[DelayPath]);
        store.WriteLive(delay, null);
        Assert.False(registry.Values.ContainsKey(DelayPath));
        var e = Assert.Throws<GoNetToolsException>(() => store.WriteLive(Catalog.Find("windows", "DynamicPortRangeIPv6")!, "10000 65535"));
        Assert.Equal(ErrorIds.TunableWriteFailed, e.ErrorId);
    }

    [SkippableFact]
    public void Windows_transaction_rolls_back_the_registry_when_netsh_fails()
    {
        var (store, registry, _) = Windows();
        registry.Values[DelayPath] = 120;
        var changes = new[]
        {
            new PlannedChange(Catalog.Find("windows", "TimedWaitDelay")!, "120", "30"),
            new PlannedChange(Catalog.Find("windows", "DynamicPortRangeIPv6")!, "10000 65535", "20000 65535"), // netsh has no recording: fails
        };
        var outcome = new TuningTransaction(store, null).Apply(changes, persist: false, backupPath: null);
        Assert.NotNull(outcome.Failure);
        Assert.Equal(120, registry.Values[DelayPath]);
        Assert.Equal(new[] { TuningChangeStatus.RolledBack, TuningChangeStatus.Failed }, outcome.Changes.Select(c => c.Status));
        Assert.True(outcome.Changes[0].RequiresReboot);
    }

    private static (MacTunableStore Store, RecordedRunner Sysctl, TempTree Root) Mac()
    {
        var sysctl = new RecordedRunner();
        sysctl.Outputs["sysctl net.inet.tcp.msl"] = (0, Recorded("macos/sysctl-msl-default.txt"));
        sysctl.Outputs["sysctl net.inet.ip.portrange.first net.inet.ip.portrange.last"] = (0, Recorded("macos/sysctl-portrange-default.txt"));
        sysctl.Outputs["sysctl -w net.inet.tcp.msl=5000"] = (0, "net.inet.tcp.msl: 15000 -> 5000\n");
        var root = new TempTree();
        root.Write("etc/sysctl.conf", Recorded("macos/sysctl.conf"));
        return (new MacTunableStore(sysctl, root.Root), sysctl, root);
    }

    [SkippableFact]
    public void MacOS_reads_msl_and_the_port_range_and_writes_with_sysctl_w()
    {
        var (store, sysctl, root) = Mac();
        using var _ = root;
        Assert.Equal("15000", store.ReadLive(Catalog.Find("macos", "Msl")!));
        Assert.Equal("49152 65535", store.ReadLive(Catalog.Find("macos", "PortRange")!));
        store.WriteLive(Catalog.Find("macos", "Msl")!, "5000");
        Assert.Contains("sysctl -w net.inet.tcp.msl=5000", sysctl.Calls);
        Assert.Equal("15000", MacTunableStore.ParseSysctlOutput("net.inet.tcp.msl: 15000\n")["net.inet.tcp.msl"]);
        Assert.Empty(MacTunableStore.ParseSysctlOutput("sysctl: unknown oid 'net.inet.tcp.nope'\n"));
    }

    [SkippableFact]
    public void MacOS_persists_a_marked_block_in_sysctl_conf_and_restores_the_file_exactly()
    {
        var (store, _, root) = Mac();
        using var __ = root;
        var before = store.ReadPersisted();
        var beforeState = store.CapturePersisted();
        store.Persist(new System.Collections.Generic.Dictionary<TunableDefinition, string>
        {
            [Catalog.Find("macos", "Msl")!] = "5000",
            [Catalog.Find("macos", "PortRange")!] = "10240 65535",
        });
        var after = root.Read("etc/sysctl.conf");
        Assert.StartsWith(before!.TrimEnd('\n'), after);
        Assert.Contains("net.inet.tcp.msl=5000\n", after);
        Assert.Contains("net.inet.ip.portrange.first=10240\nnet.inet.ip.portrange.last=65535\n", after);
        var boot = SysctlConfig.Effective(store.ReadBootConfig());
        Assert.Equal("10240 65535", boot["net.inet.ip.portrange.first net.inet.ip.portrange.last"].Value);
        store.RestorePersisted(beforeState);
        Assert.Equal(before, root.Read("etc/sysctl.conf"));
    }
}
