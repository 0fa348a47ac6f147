using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Foundation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>What the NIC cmdlets share: the back-end, adapter resolution with one error per bad name, CPU-set checks.</summary>
public abstract class NicCommandBase : GoNetToolsCmdlet
{
    private INicSource? _source;

    /// <summary>The NIC back-end for this OS and system root, made on first use.</summary>
    private protected INicSource Source => _source ??= PlatformServices.Nic(SystemRoot);

    /// <summary>
    /// The adapters <paramref name="names"/> mean (all when null). A name that matches nothing writes a
    /// non-terminating AdapterNotFound error with the name as target; the others still resolve.
    /// </summary>
    private protected List<NicAdapter> ResolveAdapters(string[]? names)
    {
        if (names is null || names.Length == 0)
        {
            return AdapterLookup.Match(Source, null).ToList();
        }
        var result = new List<NicAdapter>();
        foreach (var name in names)
        {
            try
            {
                result.AddRange(AdapterLookup.Match(Source, new[] { name }).Where(a => result.All(r => r.Name != a.Name)));
            }
            catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.AdapterNotFound)
            {
                WriteError(ErrorFactory.Create(e, name));
            }
        }
        return result;
    }

    /// <summary>
    /// Null when <paramref name="cpus"/> may be written; otherwise the reason. Empty is refused when
    /// <paramref name="allowEmpty"/> is false (an IRQ must be allowed on some CPU); offline or absent CPUs always are.
    /// </summary>
    private protected string? CheckCpus(int[] cpus, bool allowEmpty)
    {
        if (cpus.Length == 0 && !allowEmpty)
        {
            return "The CPU set is empty: an interrupt must be allowed on at least one CPU.";
        }
        var online = Source.OnlineCpus();
        var bad = cpus.Where(c => !online.Contains(c)).Distinct().OrderBy(c => c).ToArray();
        return bad.Length == 0 ? null
            : $"CPU {CpuSet.FormatList(bad)} {(bad.Length == 1 ? "is" : "are")} not online here (online: {CpuSet.FormatList(online)}).";
    }

    /// <summary>Runs <paramref name="body"/>, turning back-end failures into terminating errors with <paramref name="target"/>.</summary>
    private protected void Guard(object? target, Action body) =>
        Guarded(body, target, ErrorIds.NicInfoUnavailable, "Reading adapter information", "Check that /sys and /proc are mounted and readable.");

    /// <summary>One warning when irqbalance runs and will move some of <paramref name="irqs"/> again.</summary>
    private protected void WarnIrqBalance(IEnumerable<int> irqs, string what)
    {
        var statuses = irqs.Distinct().Select(irq => (irq, status: Source.IrqBalance(irq))).Where(s => s.status is { Banned: false }).ToList();
        if (statuses.Count == 0)
        {
            return;
        }
        var list = CpuSet.FormatList(statuses.Select(s => s.irq));
        WriteWarning($"irqbalance (pid {statuses[0].status!.Pid}) is running and does not ban IRQ {list}: {what} " +
            $"Ban them (irqbalance --banirq=N for each, e.g. in IRQBALANCE_ARGS) or stop irqbalance to keep manual affinity.");
    }
}
