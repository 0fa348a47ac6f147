using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

[Trait("Category", Category.Netns)]
[Trait("Category", Category.Root)]
public sealed class NicQueueCommandTests
{
    [SkippableFact]
    public void Set_NicQueue_writes_rps_and_xps_masks_in_a_fixture_copy()
    {
        using var copy = new WritableFixture(NicFixtures.Vm);
        using var rs = new ModuleRunspace();
        var rps = copy.Path_("sys", "class", "net", "ens3", "queues", "rx-1", "rps_cpus");
        var xps = copy.Path_("sys", "class", "net", "ens3", "queues", "tx-2", "xps_cpus");
        var whatIf = rs.Invoke("Set-NicQueue -Adapter ens3 -Index 1 -RpsCpus 2,3 -WhatIf", NicFixtures.Root(copy.Root));
        Assert.Empty(whatIf.AllErrors);
        Assert.Equal("00000000", File.ReadAllText(rps).Trim());
        var result = rs.Invoke("Set-NicQueue -Adapter Ethernet -Index 1 -RpsCpus 2,3 -PassThru");
        Assert.Empty(result.AllErrors);
        Assert.Equal("c", File.ReadAllText(rps).Trim());
        Assert.Equal(new[] { 2, 3 }, Assert.Single(result.Objects<NicQueue>()).RpsCpus);
        rs.Invoke("Set-NicQueue ens3 2 -XpsCpus @()");
        Assert.Equal("0", File.ReadAllText(xps).Trim());
    }

    [SkippableTheory]
    [InlineData("Set-NicQueue -Adapter ens3 -Index 9 -RpsCpus 1", "NicQueueNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Set-NicQueue -Adapter ens3 -Index 0 -RpsCpus 4", "InvalidCpuSet", ErrorCategory.InvalidArgument)]
    [InlineData("Set-NicQueue -Adapter ens3 -Index 0", "InvalidCpuSet", ErrorCategory.InvalidArgument)]
    [InlineData("Set-NicQueue -Adapter eth7 -Index 0 -RpsCpus 1", "AdapterNotFound", ErrorCategory.ObjectNotFound)]
    public void Bad_requests_are_refused(string script, string id, ErrorCategory category)
    {
        using var copy = new WritableFixture(NicFixtures.Vm);
        using var rs = new ModuleRunspace();
        var result = rs.Invoke(script, NicFixtures.Root(copy.Root));
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(id + ",GoNetTools.Commands.SetNicQueueCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal("00000000", File.ReadAllText(copy.Path_("sys", "class", "net", "ens3", "queues", "rx-0", "rps_cpus")).Trim());
    }

    /// <summary>
    /// The real engine (gonettools host) inside a test-made namespace, on a veth pair made there with 4 rx and 4 tx
    /// queues: the queues and their RPS/XPS masks as /sys shows them, then Set-NicQueue changes rps_cpus there.
    /// </summary>
    [SkippableFact]
    public void Live_veth_in_a_namespace_shows_four_rx_and_four_tx_queues_and_Set_NicQueue_changes_rps()
    {
        using var ns = new NetNamespace("gnt-nic");
        ns.Exec("ip link add v0 numrxqueues 4 numtxqueues 4 type veth peer name v1 numrxqueues 4 numtxqueues 4");
        ns.Exec("ip link set v0 up");
        ns.Exec("ip link set v1 up");
        var (code, stdout, stderr) = GoNetToolsHost.Run(
            "Get-NicQueue -Adapter v0 | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Direction, $_.Index, $_.RpsMask, $_.XpsMask }", ns);
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(8, rows.Length);
        for (var q = 0; q < 4; q++)
        {
            var rpsNow = ns.Exec($"cat /sys/class/net/v0/queues/rx-{q}/rps_cpus").Trim();
            var xpsNow = ns.Exec($"cat /sys/class/net/v0/queues/tx-{q}/xps_cpus").Trim();
            Assert.Contains($"Rx|{q}|{rpsNow}|", rows);
            Assert.Contains($"Tx|{q}||{xpsNow}", rows);
        }

        // The adapter itself, through SIOCETHTOOL inside the namespace, against ethtool run there.
        var info = EthtoolCli.Fields(ns.Exec("ethtool -i v0"));
        var link = EthtoolCli.Fields(ns.Exec("ethtool v0"));
        var adapter = GoNetToolsHost.Run("Get-NicAdapter v0 | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}' -f $_.Driver, $_.DriverVersion, $_.LinkSpeedMbps, $_.Duplex, $_.Kind, $_.Namespace }", ns);
        Assert.True(adapter.ExitCode == 0, adapter.Stderr);
        var speed = link["Speed"].Replace("Mb/s", "");
        Assert.Equal($"{info["driver"]}|{info["version"]}|{speed}|{link["Duplex"]}|Virtual|", adapter.Stdout.Trim()[..(adapter.Stdout.Trim().LastIndexOf('|') + 1)]);
        Assert.EndsWith($"({ns.Name})", adapter.Stdout.Trim());

        // EOPNOTSUPP is an answer, not an error: veth has no RSS table (ethtool -x fails) and lo no channels
        // (ethtool -l fails), so those are null; veth's per-queue drop counters come through ETHTOOL_GSTATS.
        Assert.NotEqual(0, ns.TryExec("ethtool -x v0").ExitCode);
        Assert.NotEqual(0, ns.TryExec("ethtool -l lo").ExitCode);
        var nulls = GoNetToolsHost.Run("$v = Get-NicAdapter v0; $l = Get-NicAdapter lo; '{0}|{1}|{2}' -f ($null -eq $v.RssIndirectionEntries), ($null -eq $l.CombinedChannels), ((Get-NicQueue v0 -Direction Rx)[3].Drops)", ns);
        Assert.True(nulls.ExitCode == 0 && nulls.Stderr.Length == 0, nulls.Stderr);
        Assert.Equal($"True|True|{EthtoolCli.Fields(ns.Exec("ethtool -S v0"))["rx_queue_3_drops"]}", nulls.Stdout.Trim());

        var set = GoNetToolsHost.Run("Set-NicQueue -Adapter v0 -Index 2 -RpsCpus 1 -Confirm:$false; (Get-NicAdapter v0).RxQueues", ns);
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Equal("4", set.Stdout.Trim());
        Assert.Equal(2, Convert.ToInt32(ns.Exec("cat /sys/class/net/v0/queues/rx-2/rps_cpus").Trim(), 16));
        Assert.Equal(0, Convert.ToInt32(ns.Exec("cat /sys/class/net/v0/queues/rx-1/rps_cpus").Trim(), 16));
    }
}
