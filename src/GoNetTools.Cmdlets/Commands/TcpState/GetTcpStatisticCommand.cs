using System;
using System.Management.Automation;
using GoNetTools.Foundation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpStatistic: the stack's TCP counters as one typed object. With -Interval, two readings are taken
/// and the result holds the deltas and per-second rates (nstat's model).
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpStatistic")]
[OutputType(typeof(TcpStatistic))]
public sealed class GetTcpStatisticCommand : GoNetToolsCmdlet
{
    /// <summary>Report deltas over this interval (e.g. 00:00:05) instead of totals since boot.</summary>
    [Parameter(Position = 0)]
    [DurationTransformation]
    public TimeSpan? Interval { get; set; }

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
    protected override void EndProcessing()
    {
        Guarded(() =>
        {
            var source = PlatformServices.TcpState(SystemRoot);
            var first = source.ReadCounters(WriteWarning);
            var started = DateTime.Now;
            if (Interval is not { } interval)
            {
                WriteObject(source.ToStatistic(first, started, null, null));
                return;
            }
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var progress = StartProgress("Get-TcpStatistic", $"Sampling TCP counters for {interval}");
            if (!progress.Until(watch, interval, TimeSpan.FromMilliseconds(500)))
            {
                return;
            }
            var second = source.ReadCounters(WriteWarning);
            var elapsed = watch.Elapsed;
            var (delta, rates) = TcpStatisticMath.Delta(first, second, elapsed);
            WriteObject(source.ToStatistic(delta, DateTime.Now, elapsed, rates));
        }, null, ErrorIds.TcpCountersUnavailable, "Reading the TCP counters", "Run again; if it persists, check that /proc is readable.");
    }
}
