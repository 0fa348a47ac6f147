using System.Collections.Generic;
using System.Linq;
using GoNetTools.Tuning;
using Xunit;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tests.Tuning;

/// <summary>The myth and drift rules on constructed states: each rule fires on its case and not on a clean one.</summary>
public sealed class TuningRulesTests
{
    private static readonly TunableCatalog Catalog = TunableCatalog.Instance;

    private static Dictionary<string, string?> CleanLinux() => new()
    {
        ["TimeWaitReuse"] = "2", ["TimeWaitReuseDelay"] = "1000", ["FinWait2Timeout"] = "60", ["LocalPortRange"] = "32768 60999",
        ["ReservedPorts"] = "", ["Timestamps"] = "1", ["MaxTimeWaitBuckets"] = "131072", ["SynRetries"] = "6",
        ["SoMaxConn"] = "4096", ["SlowStartAfterIdle"] = "1",
    };

    private static List<TcpTuningFinding> Run(Dictionary<string, string?> live, IReadOnlyList<ConfigSetting>? config = null, string? profile = null) =>
        TuningRules.Evaluate(new TuningState("linux", "net:[1]", Catalog.For("linux").ToList(), live, config ?? new List<ConfigSetting>()),
            Catalog, profile is null ? null : Catalog.FindProfile(profile)).ToList();

    [SkippableFact]
    public void A_default_linux_has_no_finding_and_matches_the_Default_profile()
    {
        Assert.Empty(Run(CleanLinux()));
        Assert.Empty(Run(CleanLinux(), profile: "Default"));
        var goDev = Run(CleanLinux(), profile: "GoDev");
        Assert.Equal(new[] { "TimeWaitReuse", "LocalPortRange", "FinWait2Timeout", "SlowStartAfterIdle" }, goDev.Select(f => f.Name));
        Assert.All(goDev, f => Assert.Equal("ProfileMismatch", f.Rule));
    }

    [SkippableFact]
    public void Each_myth_is_found_with_its_evidence()
    {
        var live = CleanLinux();
        live["TimeWaitReuse"] = "1";
        live["Timestamps"] = "0";
        live["MaxTimeWaitBuckets"] = "1024";
        live["LocalPortRange"] = "32768 60998";
        var config = new List<ConfigSetting>
        {
            new("net.ipv4.tcp_tw_recycle", "1", "/etc/sysctl.d/99-old.conf", 4, "net.ipv4.tcp_tw_recycle = 1"),
            new("net.ipv4.ip_local_port_range", "1000 65535", "/etc/sysctl.conf", 7, "net.ipv4.ip_local_port_range = 1000 65535"),
        };
        var findings = Run(live, config);
        var rules = findings.Select(f => f.Rule).ToList();
        Assert.Contains("ReuseWithoutTimestamps", rules);
        Assert.Contains(findings, f => f.Rule == "RecycleConfigured" && f.Evidence == "/etc/sysctl.d/99-old.conf:4: net.ipv4.tcp_tw_recycle = 1");
        Assert.Contains(findings, f => f.Rule == "MaxTimeWaitBucketsLowered" && f.Evidence.Contains("= 1024"));
        Assert.Contains(findings, f => f.Rule == "PortRangeParity" && f.Evidence.Contains("32768 60998"));
        Assert.Contains(findings, f => f.Rule == "PortRangeBelow1024" && f.Evidence.StartsWith("/etc/sysctl.conf:7:"));
        Assert.Contains(findings, f => f.Rule == "PersistedDrift" && f.Key == "net.ipv4.ip_local_port_range");
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.Source)));
    }

    [SkippableFact]
    public void Reuse_off_with_timestamps_off_is_not_a_myth()
    {
        var live = CleanLinux();
        live["TimeWaitReuse"] = "0";
        live["Timestamps"] = "0";
        Assert.DoesNotContain(Run(live), f => f.Rule == "ReuseWithoutTimestamps");
    }

    [SkippableFact]
    public void A_boot_value_equal_to_the_live_one_is_not_drift()
    {
        var config = new List<ConfigSetting> { new("net.ipv4.ip_local_port_range", "32768   60999", "/etc/sysctl.d/90-gonettools.conf", 3, "x") };
        Assert.Empty(Run(CleanLinux(), config));
    }
}
