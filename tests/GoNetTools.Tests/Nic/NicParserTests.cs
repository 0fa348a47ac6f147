using System.Collections.Generic;
using System.Linq;
using GoNetTools.Foundation;
using GoNetTools.Platform.Linux;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class NicParserTests
{
    [SkippableTheory]
    [InlineData("0-3,8", new[] { 0, 1, 2, 3, 8 }, "0-3,8")]
    [InlineData("5", new[] { 5 }, "5")]
    [InlineData("", new int[0], "")]
    [InlineData("0,2-3,1", new[] { 0, 1, 2, 3 }, "0-3")]
    public void Cpu_lists_parse_and_format(string text, int[] cpus, string formatted)
    {
        Assert.Equal(cpus, CpuSet.TryParseList(text));
        Assert.Equal(formatted, CpuSet.FormatList(cpus));
    }

    [SkippableTheory]
    [InlineData("3-1")]
    [InlineData("a")]
    [InlineData("1-")]
    public void Malformed_cpu_lists_are_null(string text) => Assert.Null(CpuSet.TryParseList(text));

    [SkippableFact]
    public void Cpu_masks_parse_across_32_bit_groups_and_format_for_the_kernel()
    {
        Assert.Equal(new[] { 0, 1, 2, 3 }, CpuSet.TryParseMask("0000000f"));
        Assert.Equal(new[] { 1, 32 }, CpuSet.TryParseMask("00000001,00000002"));
        Assert.Empty(CpuSet.TryParseMask("00000000,00000000")!);
        Assert.Null(CpuSet.TryParseMask("xyz"));
        Assert.Equal("c", CpuSet.FormatMask(new[] { 2, 3 }));
        Assert.Equal("1,00000002", CpuSet.FormatMask(new[] { 1, 32 }));
        Assert.Equal("0", CpuSet.FormatMask(new int[0]));
    }

    [SkippableFact]
    public void Proc_interrupts_lines_parse_with_spaces_in_names_shared_lines_and_counter_rows()
    {
        var lines = new[]
        {
            "           CPU0       CPU1       CPU2       CPU3",
            " 150:          0     523411          0          0  IR-PCI-MSIX-0000:00:14.3    0-edge      iwlwifi: default queue",
            "  16:         10          0          0          5  IR-IO-APIC   16-fasteoi   eth2, ehci_hcd:usb1",
            "  38:          0       2283 PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0",
            " 200:          1          2          3          4  IR-PCI-MSI-0000:00:1f.6",
            "  45:         11          0          0          0   PCI-MSI-edge      eth0-TxRx-0",
            " NMI:          0          0          0          0   Non-maskable interrupts",
            " ERR:          0",
            "garbage line",
        };
        var parsed = ProcInterruptsParser.Parse(lines);
        Assert.Equal(new[] { 150, 16, 38, 200, 45 }, parsed.Select(p => p.Irq));
        // Kernels before 4.x print the chip and the flow type as one word.
        Assert.Equal(("PCI-MSI-edge", "eth0-TxRx-0"), (parsed[4].Controller, parsed[4].Name));
        Assert.Equal("iwlwifi: default queue", parsed[0].Name);
        Assert.Equal("IR-PCI-MSIX-0000:00:14.3 0-edge", parsed[0].Controller);
        Assert.Equal(new long[] { 0, 523411, 0, 0 }, parsed[0].CountsPerCpu);
        Assert.Equal(new[] { "eth2", "ehci_hcd:usb1" }, ProcInterruptsParser.Actions(parsed[1].Name));
        // A short row (fewer count columns than CPUs) keeps what it has.
        Assert.Equal(new long[] { 0, 2283, 0, 0 }, parsed[2].CountsPerCpu);
        Assert.Equal("", parsed[3].Name);
        Assert.Empty(ProcInterruptsParser.Parse(new string[0]));
        Assert.Empty(ProcInterruptsParser.Parse(new[] { "CPU0" }));
    }

    [SkippableTheory]
    [InlineData("eth0-TxRx-3", "eth0", 3, "TxRx")]
    [InlineData("i40e-eth0-TxRx-5", "eth0", 5, "TxRx")]
    [InlineData("eth0-rx-2", "eth0", 2, "Rx")]
    [InlineData("eth0-tx-1", "eth0", 1, "Tx")]
    [InlineData("eth0", "eth0", null, null)]
    [InlineData("mlx5_comp3@pci:0000:5e:00.0", "ens1f0np0", 3, "TxRx")]
    [InlineData("mlx5_async0@pci:0000:5e:00.0", "ens1f0np0", null, null)]
    [InlineData("virtio2-input.1", "ens3", 1, "Rx")]
    [InlineData("virtio2-output.0", "ens3", 0, "Tx")]
    [InlineData("virtio2-config", "ens3", null, null)]
    [InlineData("iwlwifi: queue 4", "wlan0", 4, "Rx")]
    [InlineData("iwlwifi", "wlan0", null, null)]
    public void Driver_vector_names_map_to_adapter_and_queue(string action, string adapter, int? queue, string? type)
    {
        var owner = IrqNameMapper.Map(99, action, Adapters);
        Assert.NotNull(owner);
        Assert.Equal((adapter, queue, type), (owner!.Adapter, owner.Queue, owner.QueueType));
    }

    [SkippableTheory]
    [InlineData("eth10-TxRx-0")]
    [InlineData("virtio3-input.0")]
    [InlineData("mlx5_comp1@pci:0000:af:00.0")]
    [InlineData("ahci[0000:00:17.0]")]
    public void Other_devices_vectors_are_not_claimed(string action) => Assert.Null(IrqNameMapper.Map(99, action, Adapters));

    [SkippableFact]
    public void An_unnamed_vector_in_the_devices_msi_irqs_belongs_to_the_adapter_without_a_queue()
    {
        var owner = IrqNameMapper.Map(77, "some-vector", Adapters);
        Assert.Equal(("eth0", (int?)null), (owner!.Adapter, owner.Queue));
    }

    private static readonly List<IrqAdapterInfo> Adapters = new()
    {
        new("eth1", "ixgbe", "0000:03:00.1", null, new HashSet<int>()),
        new("eth0", "ixgbe", "0000:03:00.0", null, new HashSet<int> { 77 }),
        new("ens1f0np0", "mlx5_core", "0000:5e:00.0", null, new HashSet<int>()),
        new("ens3", "virtio_net", "0000:00:03.0", "virtio2", new HashSet<int>()),
        new("wlan0", "iwlwifi", "0000:00:14.3", null, new HashSet<int>()),
    };

    [SkippableFact]
    public void Ethtool_text_outputs_parse()
    {
        var channels = EthtoolText.Channels("Channel parameters for eth0:\nPre-set maximums:\nRX:\t\tn/a\nTX:\t\tn/a\nOther:\t\t1\nCombined:\t63\nCurrent hardware settings:\nRX:\t\tn/a\nTX:\t\tn/a\nOther:\t\t1\nCombined:\t8".Split('\n'));
        Assert.Equal(new EthtoolChannels(0, 0, 1, 63, 0, 0, 1, 8), channels);
        Assert.Null(EthtoolText.Channels(new[] { "netlink error: Operation not supported" }));
        var table = EthtoolText.Indirection("RX flow hash indirection table for eth0 with 2 RX ring(s):\n    0:      0     1     0     1\n    4:      1     1     1     1\nRSS hash key:\n6d:5a".Split('\n'));
        Assert.Equal(new[] { 0, 1, 0, 1, 1, 1, 1, 1 }, table);
        var stats = EthtoolText.Statistics("NIC statistics:\n     rx_queue_0_packets: 12\n     tx-0.bytes: 7\n     bad: x".Split('\n'));
        Assert.Equal(12UL, LinuxNicQueues.Stat(stats, NicQueueDirection.Rx, 0, "packets"));
        Assert.Equal(7UL, LinuxNicQueues.Stat(stats, NicQueueDirection.Tx, 0, "bytes"));
        Assert.Null(LinuxNicQueues.Stat(stats, NicQueueDirection.Rx, 1, "packets"));
    }
}
