using System.Linq;
using GoNetTools.Platform.Linux;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class LinuxNicAdapterTests
{
    [SkippableFact]
    public void Server_adapters_have_kinds_drivers_bus_and_channels()
    {
        var adapters = new LinuxNicSource(NicFixtures.Server).GetAdapters().ToDictionary(a => a.Name);
        Assert.Equal(new[] { "lo", "eth0", "eth1", "ens1f0np0", "docker0", "veth3f2a1b0", "wg0" }, adapters.Keys);

        var eth0 = adapters["eth0"];
        Assert.Equal((NicKind.Ethernet, NicStatus.Up, true), (eth0.Kind, eth0.Status, eth0.IsPhysical));
        Assert.Equal(("ixgbe", "5.19.6", "0x800008e8, 1.3429.0", "0000:03:00.0"), (eth0.Driver, eth0.DriverVersion, eth0.FirmwareVersion, eth0.BusInfo));
        Assert.Equal((8, 8, 8, 63, 128), (eth0.RxQueues, eth0.TxQueues, eth0.CombinedChannels!.Value, eth0.MaxCombinedChannels!.Value, eth0.RssIndirectionEntries!.Value));
        Assert.Equal((10000L, NicDuplex.Full, 1500, "a0:36:9f:12:34:56"), (eth0.LinkSpeedMbps!.Value, eth0.Duplex, eth0.Mtu!.Value, eth0.MacAddress));
        Assert.Equal("eth0", eth0.DeviceName);

        Assert.Equal((NicStatus.Down, (long?)null), (adapters["eth1"].Status, adapters["eth1"].LinkSpeedMbps));
        var mlx = adapters["ens1f0np0"];
        Assert.Equal(("mlx5_core", "0000:5e:00.0", 16, 256), (mlx.Driver, mlx.BusInfo, mlx.MaxCombinedChannels!.Value, mlx.RssIndirectionEntries!.Value));
        Assert.Equal((NicKind.Loopback, NicStatus.Up, (string?)null), (adapters["lo"].Kind, adapters["lo"].Status, adapters["lo"].MacAddress));
        Assert.Equal((NicKind.Bridge, false), (adapters["docker0"].Kind, adapters["docker0"].IsPhysical));
        Assert.Equal((NicKind.Virtual, "veth"), (adapters["veth3f2a1b0"].Kind, adapters["veth3f2a1b0"].Driver));
        Assert.Equal(NicKind.Tunnel, adapters["wg0"].Kind);
        // The bridge's ethtool answers "N/A" for bus and firmware: not a value.
        Assert.Null(adapters["docker0"].BusInfo);
    }

    [SkippableFact]
    public void Unsupported_ethtool_requests_are_null_not_errors()
    {
        var wifi = new LinuxNicSource(NicFixtures.Laptop).GetAdapters().Single(a => a.Name == "wlp0s20f3");
        Assert.Equal((NicKind.Wireless, "iwlwifi"), (wifi.Kind, wifi.Driver));
        Assert.Null(wifi.CombinedChannels);
        Assert.Null(wifi.MaxCombinedChannels);
        Assert.Null(wifi.RssIndirectionEntries);
        Assert.Equal((1, 4), (wifi.RxQueues, wifi.TxQueues));
    }

    [SkippableFact]
    public void Virtio_bus_info_is_the_pci_function_above_the_virtio_device()
    {
        var ens3 = new LinuxNicSource(NicFixtures.Vm).GetAdapters().Single(a => a.Name == "ens3");
        Assert.Equal(("virtio_net", "0000:00:03.0", 4, 4), (ens3.Driver, ens3.BusInfo, ens3.CombinedChannels!.Value, ens3.RxQueues));
        Assert.Null(ens3.LinkSpeedMbps);
    }

    [SkippableFact]
    public void Without_recorded_ethtool_output_driver_and_bus_come_from_sysfs_links()
    {
        // ens3's recorded `ethtool -i` is removed in a copy: the device/driver link and the PCI parent remain.
        using var copy = new WritableFixture(NicFixtures.Vm);
        System.IO.File.Delete(copy.Path_("ethtool", "ens3", "i.txt"));
        var ens3 = new LinuxNicSource(copy.Root).GetAdapters().Single(a => a.Name == "ens3");
        Assert.Equal(("virtio_net", "0000:00:03.0"), (ens3.Driver, ens3.BusInfo));
        Assert.Null(ens3.DriverVersion);
    }
}
