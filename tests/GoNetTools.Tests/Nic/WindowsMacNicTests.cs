using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Platform.MacOS;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class WindowsMacNicTests
{
    private static List<IReadOnlyDictionary<string, object?>> Cim(string file)
    {
        using var stream = File.OpenRead(Repo.Fixture("nic", "windows", file));
        return CimRecordJson.Load(stream);
    }

    private static List<NicAdapter> WindowsAdapters()
    {
        var rss = Cim("MSFT_NetAdapterRssSettingData.json").ToDictionary(r => (string)r["Name"]!);
        var hw = Cim("MSFT_NetAdapterHardwareInfoSettingData.json").ToDictionary(r => (string)r["Name"]!);
        return Cim("MSFT_NetAdapter.json")
            .Select(a => WindowsNicMapper.Adapter(a, rss.GetValueOrDefault((string)a["Name"]!), hw.GetValueOrDefault((string)a["Name"]!), new[] { "192.0.2.5/24" }))
            .OrderBy(a => a.Index).ToList();
    }

    [SkippableFact]
    public void Recorded_MSFT_NetAdapter_instances_map_to_adapters()
    {
        var adapters = WindowsAdapters().ToDictionary(a => a.Name);
        Assert.Equal(new[] { "Bluetooth Network Connection", "Ethernet", "Wi-Fi", "vEthernet (Default Switch)" }, adapters.Keys);
        var eth = adapters["Ethernet"];
        Assert.Equal((NicKind.Ethernet, NicStatus.Up, 10000L, NicDuplex.Full, true), (eth.Kind, eth.Status, eth.LinkSpeedMbps!.Value, eth.Duplex, eth.IsPhysical));
        Assert.Equal(("ixw68x64.sys", "4.1.254.0", "0000:03:00.0", "a0:36:9f:12:34:56"), (eth.Driver, eth.DriverVersion, eth.BusInfo, eth.MacAddress));
        Assert.Equal(("{3F5A2C1E-8B7D-4E6F-9A0B-1C2D3E4F5A6B}", 8, 128, 12), (eth.DeviceName, eth.RxQueues, eth.RssIndirectionEntries!.Value, eth.Index));
        Assert.Equal("Intel(R) Ethernet Controller X550", eth.Description);
        var wifi = adapters["Wi-Fi"];
        Assert.Equal((NicKind.Wireless, 1201L, "0000:00:14.3", 1, (int?)null), (wifi.Kind, wifi.LinkSpeedMbps!.Value, wifi.BusInfo, wifi.RxQueues, wifi.RssIndirectionEntries));
        var vswitch = adapters["vEthernet (Default Switch)"];
        Assert.Equal((NicKind.Virtual, false, 1), (vswitch.Kind, vswitch.IsPhysical, vswitch.RxQueues));
        var bt = adapters["Bluetooth Network Connection"];
        Assert.Equal((NicStatus.Down, (long?)null, NicDuplex.Unknown), (bt.Status, bt.LinkSpeedMbps, bt.Duplex));
    }

    [SkippableFact]
    public void Windows_rss_queues_carry_the_rss_processor_set()
    {
        var eth = WindowsAdapters().Single(a => a.Name == "Ethernet");
        var rss = Cim("MSFT_NetAdapterRssSettingData.json").Single(r => (string)r["Name"]! == "Ethernet");
        var queues = WindowsNicMapper.Queues(eth, rss).ToList();
        Assert.Equal(8, queues.Count);
        Assert.All(queues, q => Assert.Equal("0,2,4,6,8,10,12,14", q.IrqAffinity));
    }

    [SkippableFact]
    public void Windows_rss_across_processor_groups_names_each_group()
    {
        var eth = WindowsAdapters().Single(a => a.Name == "Ethernet");
        var rss = Cim("MSFT_NetAdapterRssSettingData-groups.json").ToDictionary(r => (string)r["Name"]!);
        // All of port 1's RSS processors are in group 1: they must not read as CPUs 0-14 of group 0.
        var port1 = WindowsNicMapper.Queues(eth, rss["SLOT 3 Port 1"]).ToList();
        Assert.Equal(8, port1.Count);
        Assert.All(port1, q => Assert.Equal("1:0,2,4,6,8,10,12,14", q.IrqAffinity));
        // Port 2 spans both groups: each group keeps its own numbers.
        Assert.All(WindowsNicMapper.Queues(eth, rss["SLOT 3 Port 2"]), q => Assert.Equal("0:48,52,56,60; 1:0,4,8,12", q.IrqAffinity));
    }

    [SkippableFact]
    public void Windows_aliases_resolve_to_the_adapters_of_that_name()
    {
        var source = new RecordedNicSource(WindowsAdapters(), _ => null);
        Assert.Equal("{9C8B7A6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D}", AdapterLookup.Resolve(source, "Wi-Fi").DeviceName);
        Assert.Equal("Ethernet", AdapterLookup.Resolve(source, "ethernet").Name);
        Assert.Equal("vEthernet (Default Switch)", Assert.Single(AdapterLookup.Match(source, new[] { "vEthernet*" })).Name);
    }

    [SkippableFact]
    public void Mac_ifconfig_and_networksetup_outputs_map_to_adapters_and_aliases()
    {
        var ports = MacNicParsers.HardwarePorts(File.ReadAllLines(Repo.Fixture("nic", "macos", "networksetup-listallhardwareports.txt")));
        Assert.Equal(new[] { "Ethernet:en0", "Thunderbolt Bridge:bridge0", "Wi-Fi:en1", "Thunderbolt 1:en2" }, ports.Select(p => $"{p.Port}:{p.Device}"));
        Assert.Null(ports[1].Address);
        var interfaces = MacNicParsers.Ifconfig(File.ReadAllLines(Repo.Fixture("nic", "macos", "ifconfig-a-v.txt")));
        var adapters = interfaces.Select(i => MacNicParsers.Adapter(i, ports.FirstOrDefault(p => p.Device == i.Name))).ToDictionary(a => a.Name);
        Assert.Equal(new[] { "lo0", "en0", "en1", "en2", "bridge0", "awdl0", "utun0" }, adapters.Keys);
        var en0 = adapters["en0"];
        Assert.Equal((NicKind.Ethernet, NicStatus.Up, 1000L, NicDuplex.Full, true, 4), (en0.Kind, en0.Status, en0.LinkSpeedMbps!.Value, en0.Duplex, en0.IsPhysical, en0.Index));
        Assert.Equal(new[] { "fe80::18a2:3b4c:5d6e:7f80/64", "192.0.2.23/24" }, en0.Addresses);
        Assert.Equal((NicKind.Wireless, 867L, "Wi-Fi"), (adapters["en1"].Kind, adapters["en1"].LinkSpeedMbps!.Value, adapters["en1"].Description));
        Assert.Equal((NicKind.Ethernet, NicStatus.Down), (adapters["en2"].Kind, adapters["en2"].Status));
        Assert.Equal((NicKind.Bridge, false), (adapters["bridge0"].Kind, adapters["bridge0"].IsPhysical));
        Assert.Equal((NicKind.Wireless, false), (adapters["awdl0"].Kind, adapters["awdl0"].IsPhysical));
        Assert.Equal(NicKind.Tunnel, adapters["utun0"].Kind);
        Assert.Equal((NicKind.Loopback, NicStatus.Up, "127.0.0.1/8"), (adapters["lo0"].Kind, adapters["lo0"].Status, adapters["lo0"].Addresses[0]));

        var source = new RecordedNicSource(adapters.Values.ToList(), alias => MacNicParsers.AliasTarget(ports, alias));
        Assert.Equal("en1", AdapterLookup.Resolve(source, "Wi-Fi").Name);
        Assert.Equal("en0", AdapterLookup.Resolve(source, "Ethernet").Name);
        Assert.Empty(MacNicParsers.Ifconfig(new[] { "", "garbage" }));
    }

    /// <summary>An INicSource over adapters already mapped from recordings (lookup tests for Windows and macOS data).</summary>
    private sealed class RecordedNicSource : INicSource
    {
        private readonly List<NicAdapter> _adapters;
        private readonly Func<string, string?> _alias;

        public RecordedNicSource(List<NicAdapter> adapters, Func<string, string?> alias) => (_adapters, _alias) = (adapters, alias);

        public string Scope => "recorded";
        public IEnumerable<NicAdapter> GetAdapters() => _adapters;
        public string? AliasTarget(string alias) => _alias(alias);
        public IEnumerable<NicQueue> GetQueues(NicAdapter adapter) => Array.Empty<NicQueue>();
        public IReadOnlyList<NicInterrupt> GetInterrupts(IReadOnlyList<NicAdapter> adapters) => Array.Empty<NicInterrupt>();
        public IReadOnlyList<int> OnlineCpus() => new[] { 0 };
        public IrqBalanceStatus? IrqBalance(int irq) => null;
        public void SetInterruptAffinity(int irq, IReadOnlyList<int> cpus) => throw new NotSupportedException();
        public void SetQueueCpus(NicAdapter adapter, NicQueueDirection direction, int index, IReadOnlyList<int> cpus) => throw new NotSupportedException();
    }
}
