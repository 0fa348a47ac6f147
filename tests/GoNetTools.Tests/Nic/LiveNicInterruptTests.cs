using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Nic;

/// <summary>Read-only checks against this machine's eth0 (nothing here writes /proc or /sys).</summary>
public sealed class LiveNicInterruptTests
{
    [SkippableFact]
    public void Live_eth0_interrupts_are_the_ones_proc_interrupts_names_for_its_device()
    {
        // Which IRQs belong to eth0, found independently: virtio adapters by their virtioN device name, others by
        // the PCI device's msi_irqs directory.
        var device = Path.GetFileName(Path.GetFullPath(new DirectoryInfo("/sys/class/net/eth0/device").ResolveLinkTarget(true)!.FullName));
        var expected = device.StartsWith("virtio")
            ? File.ReadAllLines("/proc/interrupts").Where(l => Regex.IsMatch(l, $@"\s{device}-\S+$"))
                .Select(l => int.Parse(l.Split(':')[0].Trim())).ToArray()
            : Directory.GetFileSystemEntries("/sys/class/net/eth0/device/msi_irqs").Select(p => int.Parse(Path.GetFileName(p))).OrderBy(n => n).ToArray();
        Assert.NotEmpty(expected);

        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicInterrupt -Adapter eth0");
        Assert.Empty(result.AllErrors);
        var interrupts = result.Objects<NicInterrupt>().ToList();
        Assert.Equal(expected, interrupts.Select(i => i.Irq).ToArray());
        Assert.All(interrupts, i => Assert.Equal("eth0", i.Adapter));
        var first = interrupts[0];
        Assert.Equal(File.ReadAllText($"/proc/irq/{first.Irq}/smp_affinity_list").Trim(), GoNetTools.Foundation.CpuSet.FormatList(first.AffinityList));

        // Each rx queue's interrupt is the one named for it.
        var queues = rs.Invoke("Get-NicQueue -Adapter eth0 -Direction Rx").Objects<NicQueue>().ToList();
        Assert.Equal(Directory.GetDirectories("/sys/class/net/eth0/queues", "rx-*").Length, queues.Count);
        if (device.StartsWith("virtio"))
        {
            Assert.All(queues, q => Assert.Equal($"{device}-input.{q.Index}", interrupts.Single(i => i.Irq == q.Irq).Name));
        }
    }
}
