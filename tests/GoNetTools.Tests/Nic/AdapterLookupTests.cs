using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Platform.Linux;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Nic;

public sealed class AdapterLookupTests
{
    private static LinuxNicSource Server => new(NicFixtures.Server);
    private static LinuxNicSource Laptop => new(NicFixtures.Laptop);
    private static LinuxNicSource Vm => new(NicFixtures.Vm);

    [SkippableFact]
    public void Exact_name_resolves_and_case_only_differences_resolve_when_unique()
    {
        Assert.Equal("ens1f0np0", AdapterLookup.Resolve(Server, "ens1f0np0").Name);
        Assert.Equal("eth1", AdapterLookup.Resolve(Server, "ETH1").Name);
    }

    [SkippableFact]
    public void Ethernet_alias_is_the_first_wired_physical_adapter_that_is_up()
    {
        // eth0 (ixgbe, up) comes before eth1 (no cable) and ens1f0np0; docker0/veth are not physical.
        Assert.Equal("eth0", AdapterLookup.Resolve(Server, "Ethernet").Name);
        Assert.Equal("ens3", AdapterLookup.Resolve(Vm, "ethernet").Name);
    }

    [SkippableFact]
    public void WiFi_alias_is_the_first_wireless_adapter_found_by_phy80211()
    {
        Assert.Equal("wlp0s20f3", AdapterLookup.Resolve(Laptop, "Wi-Fi").Name);
        Assert.Equal("wlp0s20f3", AdapterLookup.Resolve(Laptop, "wifi").Name);
    }

    [SkippableFact]
    public void Alias_without_a_target_throws_AdapterNotFound_saying_why()
    {
        // The laptop's only wired port has no cable; the server has no Wi-Fi.
        var wired = Assert.Throws<GoNetToolsException>(() => AdapterLookup.Resolve(Laptop, "Ethernet"));
        Assert.Equal(ErrorIds.AdapterNotFound, wired.ErrorId);
        Assert.Contains("wired physical adapter that is up", wired.Message);
        var wifi = Assert.Throws<GoNetToolsException>(() => AdapterLookup.Resolve(Server, "Wi-Fi"));
        Assert.Contains("wireless", wifi.Message);
    }

    [SkippableFact]
    public void Unknown_name_throws_ObjectNotFound_listing_the_adapters_here()
    {
        var e = Assert.Throws<GoNetToolsException>(() => AdapterLookup.Resolve(Vm, "eth9"));
        Assert.Equal(ErrorIds.AdapterNotFound, e.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, e.Kind);
        Assert.Equal("No adapter named 'eth9'. Adapters here: lo, ens3.", e.Message);
    }

    [SkippableFact]
    public void Match_handles_wildcards_sets_duplicates_and_plain_names()
    {
        Assert.Equal(new[] { "eth0", "eth1" }, AdapterLookup.Match(Server, new[] { "eth*" }).Select(a => a.Name));
        Assert.Equal(new[] { "eth1", "ens1f0np0" }, AdapterLookup.Match(Server, new[] { "eth[1-9]", "ens?f0np0", "eth1" }).Select(a => a.Name));
        Assert.Empty(AdapterLookup.Match(Server, new[] { "wl*" }));
        Assert.Equal(7, AdapterLookup.Match(Server, null).Count());
        Assert.Throws<GoNetToolsException>(() => AdapterLookup.Match(Server, new[] { "eth*", "nope" }).ToList());
    }
}
