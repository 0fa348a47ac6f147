using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class GetNicAdapterCommandTests
{
    [SkippableFact]
    public void Lists_fixture_adapters_and_filters_physical()
    {
        using var rs = new ModuleRunspace();
        var all = rs.Invoke("Get-NicAdapter", NicFixtures.Root(NicFixtures.Server));
        Assert.Empty(all.AllErrors);
        Assert.Equal(7, all.Objects<NicAdapter>().Count());
        Assert.Equal("GoNetTools.NicAdapter", all.Output[0].TypeNames[0]);
        var physical = rs.Invoke("Get-NicAdapter -Physical | ForEach-Object Name");
        Assert.Equal(new[] { "eth0", "eth1", "ens1f0np0" }, physical.Output.Select(o => o.BaseObject).Cast<string>());
    }

    [SkippableFact]
    public void Names_wildcards_aliases_and_pipeline_input_bind()
    {
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("'eth*', 'Ethernet' | Get-NicAdapter | ForEach-Object Name", NicFixtures.Root(NicFixtures.Server));
        Assert.Empty(result.AllErrors);
        Assert.Equal(new[] { "eth0", "eth1", "eth0" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        var wifi = rs.Invoke("Get-NicAdapter -Name Wi-Fi | ForEach-Object Name", NicFixtures.Root(NicFixtures.Laptop));
        Assert.Equal("wlp0s20f3", Assert.Single(wifi.Output).BaseObject);
    }

    [SkippableFact]
    public void Unknown_name_is_a_non_terminating_AdapterNotFound_error_per_name()
    {
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicAdapter -Name nope, ens3", NicFixtures.Root(NicFixtures.Vm));
        Assert.Equal("ens3", Assert.Single(result.Objects<NicAdapter>()).Name);
        var error = Assert.Single(result.Errors);
        Assert.Equal("AdapterNotFound,GoNetTools.Commands.GetNicAdapterCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Contains("Adapters here: lo, ens3", error.ErrorDetails.Message);
    }

    [SkippableFact]
    public void Tab_completion_offers_adapter_names_and_the_aliases()
    {
        using var rs = new ModuleRunspace();
        const string Line = "Get-NicAdapter -Name e";
        var result = rs.Invoke($"(TabExpansion2 -inputScript '{Line}' -cursorColumn {Line.Length}).CompletionMatches | ForEach-Object CompletionText",
            NicFixtures.Root(NicFixtures.Server));
        Assert.Empty(result.AllErrors);
        Assert.Equal(new[] { "eth0", "eth1", "ens1f0np0", "Ethernet" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        var wifi = rs.Invoke("(TabExpansion2 -inputScript 'Get-NicAdapter w' -cursorColumn 16).CompletionMatches | ForEach-Object CompletionText");
        Assert.Equal(new[] { "wg0", "Wi-Fi" }, wifi.Output.Select(o => o.BaseObject).Cast<string>());
    }

    [SkippableFact]
    public void Live_eth0_reports_what_ethtool_reports()
    {
        var info = EthtoolCli.Fields(Shell.Run("ethtool", "-i eth0"));
        var (channelsCode, channelsText, _) = Shell.TryRun("ethtool", "-l eth0");
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicAdapter -Name eth0");
        Assert.Empty(result.AllErrors);
        var eth0 = Assert.Single(result.Objects<NicAdapter>());
        Assert.Equal(info["driver"], eth0.Driver);
        Assert.Equal(EthtoolCli.Value(info["bus-info"]), eth0.BusInfo);
        Assert.Equal(EthtoolCli.Value(info["version"]), eth0.DriverVersion);
        Assert.Equal(EthtoolCli.Value(info["firmware-version"]), eth0.FirmwareVersion);
        if (channelsCode == 0)
        {
            var (max, current) = EthtoolCli.Combined(channelsText);
            Assert.Equal(current, eth0.CombinedChannels);
            Assert.Equal(max, eth0.MaxCombinedChannels);
        }
        else
        {
            // ethtool says the driver cannot report channels: so must we.
            Assert.Contains("not supported", channelsText + Shell.TryRun("ethtool", "-l eth0").Stderr, System.StringComparison.OrdinalIgnoreCase);
            Assert.Null(eth0.CombinedChannels);
        }
        Assert.Equal(System.IO.Directory.GetDirectories("/sys/class/net/eth0/queues", "rx-*").Length, eth0.RxQueues);
    }
}

/// <summary>Reads the real ethtool's text output, as the peer the live tests compare against.</summary>
internal static class EthtoolCli
{
    public static System.Collections.Generic.Dictionary<string, string> Fields(string text) =>
        text.Split('\n').Where(l => l.Contains(':')).GroupBy(l => l[..l.IndexOf(':')].Trim())
            .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':') + 1)..].Trim());

    public static string? Value(string text) => text.Length == 0 || text == "N/A" ? null : text;

    /// <summary>"Combined:" under Pre-set maximums and under Current hardware settings; null for n/a or 0.</summary>
    public static (int? Max, int? Current) Combined(string text)
    {
        var values = text.Split('\n').Where(l => l.StartsWith("Combined:", System.StringComparison.Ordinal))
            .Select(l => int.TryParse(l["Combined:".Length..].Trim(), out var n) && n > 0 ? n : (int?)null).ToArray();
        return (values[0], values[1]);
    }
}
