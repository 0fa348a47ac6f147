using System.Linq;
using GoNetTools.Tuning;
using GoNetTools.Platform;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Tuning;

/// <summary>
/// Test-TcpTuning's irqbalance check on the recorded server tree: NIC IRQs 45-52 pinned to one CPU each,
/// irqbalance (pid 812) running with --banirq=46 only.
/// </summary>
public sealed class IrqBalanceRuleTests
{
    private static readonly string Server = Repo.Fixture("nic", "server");

    private static TcpTuningFinding[] Findings()
    {
        var nic = PlatformServices.Nic(Server);
        var interrupts = nic.GetInterrupts(nic.GetAdapters().ToList());
        return IrqBalanceRule.Evaluate(interrupts.Select(i => (i, nic.IrqBalance(i.Irq))).ToList(), nic.OnlineCpus(), "fixture").ToArray();
    }

    [SkippableFact]
    public void Pinned_interrupts_irqbalance_has_not_banned_are_found_with_evidence()
    {
        var findings = Findings();
        var irqs = findings.Select(f => int.Parse(f.Key.Split('/')[3])).OrderBy(i => i).ToArray();

        Assert.Subset(irqs.ToHashSet(), new[] { 45, 47, 48, 49, 50, 51, 52 }.ToHashSet()); // ixgbe queues, one CPU each
        Assert.DoesNotContain(46, irqs); // pinned too, but banned: irqbalance leaves it alone
        Assert.DoesNotContain(53, irqs); // spread over all 16 CPUs: nothing to undo
        var first = findings.Single(f => f.Key == "/proc/irq/45/smp_affinity_list");
        Assert.Equal(IrqBalanceRule.Code, first.Rule);
        Assert.Equal(TuningFindingSeverity.Warning, first.Severity);
        Assert.Contains("pid 812", first.Evidence);
        Assert.Contains("--banirq=45", first.Recommendation);
    }

    [SkippableFact]
    public void Interrupts_on_every_cpu_or_without_irqbalance_are_not_findings()
    {
        var nic = PlatformServices.Nic(Server);
        var interrupts = nic.GetInterrupts(nic.GetAdapters().ToList());
        // Without irqbalance running nothing is undone, pinned or not.
        Assert.Empty(IrqBalanceRule.Evaluate(interrupts.Select(i => (i, (IrqBalanceStatus?)null)).ToList(), nic.OnlineCpus(), "fixture"));
        // IRQs spread over every online CPU are not pinned.
        var spread = interrupts.Where(i => i.AffinityList.Length == nic.OnlineCpus().Count).ToList();
        Assert.NotEmpty(spread);
        Assert.Empty(IrqBalanceRule.Evaluate(spread.Select(i => (i, nic.IrqBalance(i.Irq))).ToList(), nic.OnlineCpus(), "fixture"));
    }

    [SkippableFact]
    public void Test_TcpTuning_reports_them_through_the_engine()
    {
        using var ps = new ModuleRunspace();
        var result = ps.Invoke($"$GoNetToolsSystemRoot = '{Server}'; Test-TcpTuning | Where-Object Rule -eq '{IrqBalanceRule.Code}'");
        var keys = result.Objects<TcpTuningFinding>().Select(f => f.Key).ToList();
        Assert.Contains("/proc/irq/45/smp_affinity_list", keys);
        Assert.DoesNotContain("/proc/irq/46/smp_affinity_list", keys);
    }
}
