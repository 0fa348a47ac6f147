using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// Get-NicInterrupt: the adapters' interrupts with counts per CPU, affinity and the queue each serves. With
/// -Interval, two readings give the rate per CPU. Warns when irqbalance runs and will move the IRQs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NicInterrupt")]
[OutputType(typeof(NicInterrupt))]
public sealed class GetNicInterruptCommand : NicCommandBase
{
    /// <summary>Adapter names, wildcards, or Wi-Fi / Ethernet; all adapters when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string[]? Adapter { get; set; }

    /// <summary>Only these IRQ numbers.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int[]? Irq { get; set; }

    /// <summary>Measure for this long and report interrupts per second per CPU.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Interval { get; set; }

    private readonly List<string> _names = new();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Interval is { } interval && (interval <= TimeSpan.Zero || interval > TimeSpan.FromDays(1)))
        {
            ThrowTerminating(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument, interval,
                $"-Interval {interval} is out of range.", "Give a positive interval up to one day, such as 00:00:05.");
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Adapter is not null)
        {
            _names.AddRange(Adapter);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => Guard(Adapter, () =>
    {
        var adapters = ResolveAdapters(_names.Count == 0 ? null : _names.ToArray());
        if (adapters.Count == 0)
        {
            return;
        }
        var first = Select(Source.GetInterrupts(adapters));
        foreach (var missing in (Irq ?? Array.Empty<int>()).Where(n => first.All(i => i.Irq != n)))
        {
            WriteError(ErrorIds.IrqNotFound, ErrorCategory.ObjectNotFound, missing,
                $"IRQ {missing} is not an interrupt of {string.Join(", ", adapters.Select(a => a.Name))}.",
                "Get-NicInterrupt without -Irq lists the adapters' interrupts.");
        }
        var result = Interval is { } interval ? Measure(adapters, first, interval) : first;
        if (result is null)
        {
            return;
        }
        WarnIrqBalance(result.Select(i => i.Irq), "it rebalances them every 10 seconds and undoes Set-NicInterruptAffinity.");
        foreach (var interrupt in result)
        {
            WriteObject(interrupt);
        }
    });

    private List<NicInterrupt> Select(IReadOnlyList<NicInterrupt> interrupts) =>
        interrupts.Where(i => Irq is null || Irq.Contains(i.Irq)).ToList();

    /// <summary>Waits the interval (Ctrl+C stops it), reads again and turns the count deltas into rates.</summary>
    private List<NicInterrupt>? Measure(List<NicAdapter> adapters, List<NicInterrupt> first, TimeSpan interval)
    {
        var watch = Stopwatch.StartNew();
        using var progress = StartProgress("Get-NicInterrupt", $"Counting interrupts for {interval}");
        if (!progress.Until(watch, interval, TimeSpan.FromMilliseconds(500)))
        {
            return null;
        }
        var second = Select(Source.GetInterrupts(adapters));
        var seconds = watch.Elapsed.TotalSeconds;
        return second.Select(now =>
        {
            var before = first.FirstOrDefault(f => f.Irq == now.Irq);
            var rates = now.CountsPerCpu.Select((count, cpu) =>
                Math.Max(0, count - (before is not null && cpu < before.CountsPerCpu.Length ? before.CountsPerCpu[cpu] : count)) / seconds).ToArray();
            return new NicInterrupt
            {
                Irq = now.Irq, Adapter = now.Adapter, Queue = now.Queue, QueueType = now.QueueType, Name = now.Name,
                Controller = now.Controller, CountsPerCpu = now.CountsPerCpu, Total = now.Total, AffinityList = now.AffinityList,
                EffectiveAffinityList = now.EffectiveAffinityList, RatePerCpu = rates, Rate = rates.Sum(),
                Interval = TimeSpan.FromSeconds(seconds),
            };
        }).ToList();
    }
}
