using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Tuning;
using Xunit;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tests.Tuning;

/// <summary>The embedded catalog and profiles, and value validation: the data that keeps tuning honest.</summary>
public sealed class TuningCatalogTests
{
    private static readonly TunableCatalog Catalog = TunableCatalog.Instance;

    [SkippableFact]
    public void Every_tunable_has_a_fact_and_a_source_and_every_os_has_tunables()
    {
        Assert.All(Catalog.Tunables, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Description), t.Name);
            Assert.False(string.IsNullOrWhiteSpace(t.Source), t.Name);
        });
        Assert.Equal(10, Catalog.For("linux").Count());
        Assert.Equal(4, Catalog.For("windows").Count());
        Assert.Equal(2, Catalog.For("macos").Count());
    }

    [SkippableFact]
    public void Every_profile_value_is_valid_for_its_tunable_and_has_a_rationale()
    {
        foreach (var profile in Catalog.Profiles)
        {
            foreach (var value in profile.Values)
            {
                var definition = Catalog.Tunables.Single(t => t.Name == value.Name);
                Assert.False(string.IsNullOrWhiteSpace(value.Rationale), $"{profile.Name}/{value.Name}");
                Assert.Equal(value.Value, TunableValue.Validate(definition, value.Value, null));
            }
        }
    }

    [SkippableFact]
    public void GoDev_holds_the_honest_values_and_no_myths()
    {
        var goDev = Catalog.FindProfile("godev")!;
        var linux = Catalog.ValuesFor(goDev, "linux").ToDictionary(v => v.Definition.Key, v => v.Value.Value);
        Assert.Equal("1", linux["net.ipv4.tcp_tw_reuse"]);
        Assert.Equal("1", linux["net.ipv4.tcp_timestamps"]);
        Assert.Equal("30", linux["net.ipv4.tcp_fin_timeout"]);
        Assert.Equal(5, linux.Count);
        var (start, end) = TunableValue.ParseRange(linux["net.ipv4.ip_local_port_range"])!.Value;
        Assert.True(start >= 1024 && start % 2 != end % 2);
        Assert.DoesNotContain(linux.Keys, k => k.Contains("recycle", StringComparison.Ordinal) || k.Contains("max_tw_buckets", StringComparison.Ordinal));
        Assert.Contains("does NOT shorten TIME_WAIT", goDev.Values.Single(v => v.Name == "FinWait2Timeout").Rationale);
        Assert.True(Catalog.Find("windows", "TimedWaitDelay")!.RequiresReboot);
        Assert.Null(Catalog.Find("linux", "tcp_tw_recycle"));
    }

    [SkippableFact]
    public void Default_profile_sets_the_catalog_defaults()
    {
        var profile = Catalog.FindProfile("Default")!;
        foreach (var os in new[] { "linux", "windows", "macos" })
        {
            Assert.All(Catalog.ValuesFor(profile, os), v => Assert.Equal(v.Definition.Default, v.Value.Value));
        }
    }

    [SkippableTheory]
    [InlineData("../../etc/passwd")]
    [InlineData("/proc/sys/net/ipv4/tcp_tw_reuse")]
    [InlineData("net/ipv4/tcp_tw_reuse")]
    [InlineData("net.ipv4.tcp_tw_recycle")]
    [InlineData("kernel.core_pattern")]
    public void Only_catalog_names_and_keys_are_found(string name)
    {
        Assert.Null(Catalog.Find("linux", name));
        Assert.NotNull(Catalog.Find("linux", "net.ipv4.tcp_tw_reuse"));
        Assert.NotNull(Catalog.Find("linux", "timewaitreuse"));
    }

    [SkippableTheory]
    [InlineData("TimeWaitReuse", "3")]
    [InlineData("TimeWaitReuse", "-1")]
    [InlineData("TimeWaitReuse", "one")]
    [InlineData("LocalPortRange", "1000 65535")]
    [InlineData("LocalPortRange", "10000 60000")]
    [InlineData("LocalPortRange", "60000 10001")]
    [InlineData("LocalPortRange", "10240")]
    [InlineData("ReservedPorts", "70000")]
    [InlineData("ReservedPorts", "80-x")]
    public void Bad_values_are_refused_with_InvalidTunableValue(string name, string value)
    {
        var e = Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(Catalog.Find("linux", name)!, value, null));
        Assert.Equal(ErrorIds.InvalidTunableValue, e.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
        Assert.NotNull(e.RecommendedAction);
    }

    [SkippableFact]
    public void Values_are_canonicalised_and_tcp_max_tw_buckets_is_never_lowered()
    {
        var range = Catalog.Find("linux", "LocalPortRange")!;
        Assert.Equal("10240 65535", TunableValue.Validate(range, TunableValue.FromObject(new object[] { 10240, 65535 }, range.Type), null));
        Assert.Equal("10240 65535", TunableValue.Validate(range, "10240\t65535", null));
        Assert.Equal("8080,9000-9010", TunableValue.Validate(Catalog.Find("linux", "ReservedPorts")!, "8080, 9000-9010", null));
        Assert.Equal("", TunableValue.Validate(Catalog.Find("linux", "ReservedPorts")!, "", null));
        var buckets = Catalog.Find("linux", "MaxTimeWaitBuckets")!;
        Assert.Equal("262144", TunableValue.Validate(buckets, "262144", "131072"));
        var e = Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(buckets, "4096", "131072"));
        Assert.Contains("TCPTimeWaitOverflow", e.Message);
        var delay = Catalog.Find("windows", "TimedWaitDelay")!;
        Assert.Null(TunableValue.Validate(delay, null, "30"));
        Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(delay, "20", null));
        Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(Catalog.Find("windows", "DynamicPortRangeIPv4")!, "1024 65535", null));
        Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(Catalog.Find("windows", "DynamicPortRangeIPv4")!, "50000 50100", null));
        Assert.Throws<GoNetToolsException>(() => TunableValue.Validate(Catalog.Find("windows", "ExcludedPortRanges")!, "1000", null));
    }

    [SkippableFact]
    public void Sysctl_config_lines_parse_like_sysctl_d()
    {
        var text = "# comment\n; also comment\n-net/ipv4/tcp_tw_recycle = 1\nnet.ipv4.ip_local_port_range =  1024\t65000 \nbroken line\n\nnet.core.somaxconn=1024\n";
        var settings = SysctlConfig.Parse("/etc/sysctl.d/99-x.conf", text).ToList();
        Assert.Equal(new[] { "net.ipv4.tcp_tw_recycle", "net.ipv4.ip_local_port_range", "net.core.somaxconn" }, settings.Select(s => s.Key));
        Assert.Equal("1024 65000", settings[1].Value);
        Assert.Equal("/etc/sysctl.d/99-x.conf:3: -net/ipv4/tcp_tw_recycle = 1", settings[0].Evidence);
        var effective = SysctlConfig.Effective(settings.Append(settings[2] with { Value = "8192", Line = 9 }));
        Assert.Equal("8192", effective["net.core.somaxconn"].Value);
        Assert.Empty(SysctlConfig.Parse("empty", ""));
    }

    [SkippableFact]
    public void A_marked_block_takes_new_keys_values_change_in_place_and_restore_gives_the_bytes_back()
    {
        var style = new PersistStyle("=", null, "# BEGIN x", "# END x");
        var owned = new HashSet<string> { "net.inet.tcp.msl" };
        const string Original = "kern.maxfiles=65536\n";
        var before = PersistedFileText.Capture(Original, owned);
        var first = PersistedFileText.Apply(Original, new Dictionary<string, string> { ["net.inet.tcp.msl"] = "5000" }, style);
        Assert.Equal("kern.maxfiles=65536\n# BEGIN x\nnet.inet.tcp.msl=5000\n# END x\n", first);
        var second = PersistedFileText.Apply(first, new Dictionary<string, string> { ["net.inet.tcp.msl"] = "15000" }, style);
        Assert.Equal("kern.maxfiles=65536\n# BEGIN x\nnet.inet.tcp.msl=15000\n# END x\n", second);
        Assert.Equal(Original, PersistedFileText.Restore(second, before, owned, style));
        // A file that ended without a newline gets it back that way.
        var bare = PersistedFileText.Capture("-net.inet.tcp.msl = 3000", owned);
        Assert.Equal("-net.inet.tcp.msl = 3000", PersistedFileText.Restore(PersistedFileText.Apply("-net.inet.tcp.msl = 3000", new Dictionary<string, string> { ["net.inet.tcp.msl"] = "9" }, style), bare, owned, style));
    }
}
