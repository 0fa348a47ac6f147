using System.Linq;
using GoNetTools.Platform.Linux;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class LinuxNicInterruptTests
{
    private static (int Irq, string? Adapter, int? Queue, string? Type)[] Map(string root)
    {
        var source = new LinuxNicSource(root);
        return source.GetInterrupts(source.GetAdapters().ToList()).Select(i => (i.Irq, i.Adapter, i.Queue, i.QueueType)).ToArray();
    }

    [SkippableFact]
    public void Server_ixgbe_and_mlx5_interrupts_map_to_adapter_and_queue()
    {
        var map = Map(NicFixtures.Server);
        var expected = Enumerable.Range(0, 8).Select(q => (45 + q, (string?)"eth0", (int?)q, (string?)"TxRx"))
            .Append((53, "eth0", null, null))
            .Concat(Enumerable.Range(0, 8).Select(q => (54 + q, (string?)"eth1", (int?)q, (string?)"TxRx")))
            .Append((62, "eth1", null, null))
            .Append((80, "ens1f0np0", null, null))
            .Concat(Enumerable.Range(0, 8).Select(q => (81 + q, (string?)"ens1f0np0", (int?)q, (string?)"TxRx")));
        Assert.Equal(expected, map);
    }

    [SkippableFact]
    public void Laptop_iwlwifi_vectors_map_to_rss_queues()
    {
        var map = Map(NicFixtures.Laptop);
        var expected = new (int, string?, int?, string?)[] { (142, "enp0s31f6", null, null), (150, "wlp0s20f3", 0, "Rx") }
            .Concat(Enumerable.Range(1, 8).Select(q => (150 + q, (string?)"wlp0s20f3", (int?)q, (string?)"Rx")))
            .Append((159, "wlp0s20f3", null, null));
        Assert.Equal(expected, map);
    }

    [SkippableFact]
    public void Vm_virtio_input_output_map_to_rx_and_tx_queues_and_the_disk_stays_unclaimed()
    {
        var map = Map(NicFixtures.Vm);
        var expected = new (int, string?, int?, string?)[] { (24, "ens3", null, null) }
            .Concat(Enumerable.Range(0, 4).SelectMany(q => new[] { (25 + 2 * q, (string?)"ens3", (int?)q, (string?)"Rx"), (26 + 2 * q, "ens3", q, "Tx") }));
        Assert.Equal(expected, map);
    }

    [SkippableFact]
    public void Interrupts_carry_counts_affinity_and_effective_affinity()
    {
        var source = new LinuxNicSource(NicFixtures.Server);
        var irq = source.GetInterrupts(source.GetAdapters().ToList()).Single(i => i.Irq == 53);
        Assert.Equal(16, irq.CountsPerCpu.Length);
        Assert.Equal(12, irq.Total);
        Assert.Equal(Enumerable.Range(0, 16), irq.AffinityList);
        Assert.Equal(new[] { 0 }, irq.EffectiveAffinityList);
        Assert.Equal("eth0", irq.Name);
    }

    [SkippableFact]
    public void Queues_join_irq_rps_xps_rss_share_and_driver_counters()
    {
        var source = new LinuxNicSource(NicFixtures.Server);
        var mlx = source.GetAdapters().Single(a => a.Name == "ens1f0np0");
        var queues = source.GetQueues(mlx).ToList();
        Assert.Equal(16, queues.Count);
        var rx2 = queues.Single(q => q.Direction == NicQueueDirection.Rx && q.Index == 2);
        Assert.Equal((83, "10", 0.25, 700002UL, 7000000002UL), (rx2.Irq!.Value, rx2.IrqAffinity, rx2.IndirectionShare!.Value, rx2.Packets!.Value, rx2.Bytes!.Value));
        Assert.Empty(rx2.RpsCpus!);
        // After `ethtool -X weight 1 1 1 1 0 0 0 0` ring 6 gets no RSS traffic.
        Assert.Equal(0.0, queues.Single(q => q.Direction == NicQueueDirection.Rx && q.Index == 6).IndirectionShare);
        var tx3 = queues.Single(q => q.Direction == NicQueueDirection.Tx && q.Index == 3);
        Assert.Equal(("00000800", 3UL, (double?)null), (tx3.XpsMask, tx3.Drops!.Value, tx3.IndirectionShare));
        Assert.Equal(new[] { 11 }, tx3.XpsCpus);
        var vmSource = new LinuxNicSource(NicFixtures.Vm);
        var ens3 = vmSource.GetQueues(vmSource.GetAdapters().Single(a => a.Name == "ens3")).ToList();
        Assert.Equal(new int?[] { 25, 27, 29, 31, 26, 28, 30, 32 }, ens3.Select(q => q.Irq));
        Assert.Equal(2UL, ens3[2].Drops);
    }

    [SkippableFact]
    public void Aws_ena_tx_rx_vectors_map_to_queue_pairs_the_management_vector_to_the_adapter_and_nvme_stays_unclaimed()
    {
        var map = Map(NicFixtures.Aws);
        var expected = new (int, string?, int?, string?)[] { (27, "ens5", null, null) }
            .Concat(Enumerable.Range(0, 4).Select(q => (28 + q, (string?)"ens5", (int?)q, (string?)"TxRx")));
        Assert.Equal(expected, map);
        // Each ENA queue pair gets its own vector on both sides, which is what the IRQ-placement checks need.
        var source = new LinuxNicSource(NicFixtures.Aws);
        var queues = source.GetQueues(source.GetAdapters().Single(a => a.Name == "ens5")).ToList();
        Assert.Equal(new int?[] { 28, 29, 30, 31, 28, 29, 30, 31 }, queues.Select(q => q.Irq));
        Assert.Equal(new[] { "0", "1", "2", "3" }, queues.Take(4).Select(q => q.IrqAffinity));
    }
}
