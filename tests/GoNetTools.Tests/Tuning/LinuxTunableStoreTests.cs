using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Tuning;
using GoNetTools.Platform.Linux;
using Xunit;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tests.Tuning;

/// <summary>The Linux store on a copied fixture root: /proc/sys reads and writes, sysctl --system order, our file.</summary>
public sealed class LinuxTunableStoreTests
{
    private static readonly TunableCatalog Catalog = TunableCatalog.Instance;

    [SkippableFact]
    public void Reads_and_writes_proc_sys_with_canonical_values()
    {
        using var tree = new TempTree("tuning/linux-root");
        var store = new LinuxTunableStore(tree.Root, tree.Root);
        var range = Catalog.Find("linux", "LocalPortRange")!;
        Assert.Equal("32768 60999", store.ReadLive(range));
        Assert.Equal("", store.ReadLive(Catalog.Find("linux", "ReservedPorts")!));
        store.WriteLive(range, "10240 65535");
        Assert.Equal("10240 65535\n", tree.Read("proc/sys/net/ipv4/ip_local_port_range"));
        File.Delete(tree.PathOf("proc/sys/net/ipv4/tcp_tw_reuse_delay"));
        Assert.Null(store.ReadLive(Catalog.Find("linux", "TimeWaitReuseDelay")!));
        Assert.Equal("not available on this kernel", store.DescribeAbsent(Catalog.Find("linux", "TimeWaitReuseDelay")!));
        Assert.Null(store.PrivilegeProblem()); // a fixture root needs no root
        Assert.StartsWith("fixture ", store.Scope);
    }

    [SkippableFact]
    public void Boot_config_follows_sysctl_system_order()
    {
        using var tree = new TempTree("tuning/linux-root");
        tree.Write("usr/lib/sysctl.d/60-tw.conf", "net.ipv4.tcp_fin_timeout = 20\nnet.ipv4.tcp_tw_reuse = 0\n");
        tree.Write("etc/sysctl.d/60-tw.conf", "net.ipv4.tcp_fin_timeout = 45\n"); // same name: /etc wins, /usr/lib file is skipped
        tree.Write("run/sysctl.d/70-run.conf", "net.ipv4.tcp_syn_retries = 3\n");
        tree.Write("etc/sysctl.conf", "net.ipv4.tcp_syn_retries = 4\n"); // applied last
        tree.Write("etc/sysctl.d/README", "net.ipv4.tcp_syn_retries = 9\n"); // not *.conf
        var boot = SysctlConfig.Effective(new LinuxTunableStore(tree.Root, tree.Root).ReadBootConfig());
        Assert.Equal("45", boot["net.ipv4.tcp_fin_timeout"].Value);
        Assert.Equal("/etc/sysctl.d/60-tw.conf:1: net.ipv4.tcp_fin_timeout = 45", boot["net.ipv4.tcp_fin_timeout"].Evidence);
        Assert.False(boot.ContainsKey("net.ipv4.tcp_tw_reuse"));
        Assert.Equal("4", boot["net.ipv4.tcp_syn_retries"].Value);
        Assert.Equal("2", boot["net.ipv4.conf.all.rp_filter"].Value);
    }

    [SkippableFact]
    public void Persist_writes_only_our_file_merging_our_keys_and_restores_exactly()
    {
        using var tree = new TempTree("tuning/linux-root");
        var store = new LinuxTunableStore(tree.Root, tree.Root);
        Assert.Null(store.ReadPersisted());
        var distribution = tree.Read("etc/sysctl.d/10-network-security.conf");
        var none = store.CapturePersisted();
        store.Persist(new Dictionary<TunableDefinition, string> { [Catalog.Find("linux", "TimeWaitReuse")!] = "1" });
        var first = store.ReadPersisted()!;
        var firstState = store.CapturePersisted();
        store.Persist(new Dictionary<TunableDefinition, string> { [Catalog.Find("linux", "LocalPortRange")!] = "10240 65535" });
        var settings = SysctlConfig.Parse("x", store.ReadPersisted()!).ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "10240 65535", ["net.ipv4.tcp_tw_reuse"] = "1" }, settings);
        Assert.Empty(Directory.GetFiles(tree.PathOf("etc/sysctl.d"), ".*.tmp"));
        Assert.Equal(distribution, tree.Read("etc/sysctl.d/10-network-security.conf"));
        store.RestorePersisted(firstState);
        Assert.Equal(first, store.ReadPersisted());
        store.RestorePersisted(none);
        Assert.False(File.Exists(tree.PathOf(LinuxTunableStore.PersistRelativePath)));
    }

    [SkippableFact]
    public void Transaction_fails_on_the_third_write_and_restores_the_first_two()
    {
        using var tree = new TempTree("tuning/linux-root");
        var store = new LinuxTunableStore(tree.Root, tree.Root);
        var goDev = Catalog.FindProfile("GoDev")!;
        var before = Catalog.For("linux").ToDictionary(d => d.Name, store.ReadLive);
        var changes = Catalog.ValuesFor(goDev, "linux")
            .Select(v => new PlannedChange(v.Definition, store.ReadLive(v.Definition), v.Value.Value)).ToList();
        var outcome = new TuningTransaction(store, failAtWrite: 3).Apply(changes, persist: true, backupPath: "/b.json");
        Assert.Equal(ErrorIds.TunableWriteFailed, outcome.Failure!.ErrorId);
        Assert.Equal(new[] { TuningChangeStatus.RolledBack, TuningChangeStatus.RolledBack, TuningChangeStatus.Failed, TuningChangeStatus.NotAttempted, TuningChangeStatus.NotAttempted },
            outcome.Changes.Select(c => c.Status));
        Assert.Equal(before, Catalog.For("linux").ToDictionary(d => d.Name, store.ReadLive));
        Assert.Null(store.ReadPersisted());

        var success = new TuningTransaction(store, null).Apply(changes, persist: true, backupPath: "/b.json");
        Assert.Null(success.Failure);
        Assert.All(success.Changes, c => Assert.True(c.Applied && c.Persisted));
        Assert.Equal("0", store.ReadLive(Catalog.Find("linux", "SlowStartAfterIdle")!));
    }
}
