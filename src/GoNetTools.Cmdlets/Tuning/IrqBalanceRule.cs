using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GoNetTools.Platform;

namespace GoNetTools.Tuning;

/// <summary>
/// Test-TcpTuning's interrupt check: a NIC interrupt pinned to some CPUs (smp_affinity_list narrower than the
/// online set) while irqbalance runs without banning it. irqbalance rewrites the affinity of every IRQ it has
/// not been told to leave alone (--banirq, or IRQBALANCE_BANNED_CPUS), so the pin silently comes undone
/// (irqbalance(1)). Pure: the cmdlet reads the interrupts and irqbalance's state through INicSource.
/// </summary>
internal static class IrqBalanceRule
{
    public const string Code = "IrqbalanceUndoesPinnedInterrupt";

    public static IEnumerable<TcpTuningFinding> Evaluate(IEnumerable<(NicInterrupt Interrupt, IrqBalanceStatus? Balance)> interrupts,
        IReadOnlyCollection<int> onlineCpus, string scope)
    {
        foreach (var (irq, balance) in interrupts)
        {
            bool pinned = irq.AffinityList.Length > 0 && onlineCpus.Count > 0 && onlineCpus.Any(cpu => !irq.AffinityList.Contains(cpu));
            if (!pinned || balance is null || balance.Banned)
            {
                continue;
            }
            var cpus = string.Join(",", irq.AffinityList.Select(c => c.ToString(CultureInfo.InvariantCulture)));
            yield return new TcpTuningFinding
            {
                Rule = Code,
                Severity = TuningFindingSeverity.Warning,
                Name = irq.Adapter ?? irq.Name,
                Key = string.Create(CultureInfo.InvariantCulture, $"/proc/irq/{irq.Irq}/smp_affinity_list"),
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"IRQ {irq.Irq} ({irq.Name}) is pinned to CPU {cpus}, but irqbalance (pid {balance.Pid}) is running and has not banned it: irqbalance will move it again."),
                Evidence = string.Create(CultureInfo.InvariantCulture,
                    $"smp_affinity_list = {cpus} of online CPUs {onlineCpus.Count}; irqbalance pid {balance.Pid} without --banirq={irq.Irq}"),
                Recommendation = string.Create(CultureInfo.InvariantCulture,
                    $"Start irqbalance with --banirq={irq.Irq} (IRQBALANCE_ARGS in /etc/default/irqbalance) or stop it, then pin again with Set-NicInterruptAffinity -Irq {irq.Irq}."),
                Source = "irqbalance(1): --banirq",
                Scope = scope,
            };
        }
    }
}
