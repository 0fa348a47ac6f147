using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using GoNetTools.Foundation;
using GoNetTools.Platform;
using GoNetTools.Tcp;

namespace GoNetTools.Commands;

/// <summary>
/// Watch-TcpState: reads the socket table every -Interval and writes one TcpStateSample per tick (counts per
/// state, TIME_WAIT and its growth per second), until -Duration passes or Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "TcpState")]
[OutputType(typeof(TcpStateSample))]
public sealed class WatchTcpStateCommand : GoNetToolsCmdlet
{
    /// <summary>Time between samples (default 1 s).</summary>
    [Parameter(Position = 0)]
    [DurationTransformation]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to watch; until Ctrl+C when omitted.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Duration { get; set; }

    /// <summary>Remote addresses to count: IP addresses or CIDR prefixes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoteAddress { get; set; }

    /// <summary>Remote ports to count (443 for a GOPROXY over HTTPS).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? RemotePort { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromHours(1))
        {
            ThrowTerminating(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument, Interval,
                $"-Interval {Interval} is out of range.", "Give a positive interval up to one hour, such as 00:00:01.");
        }
        if (Duration is { } d && (d <= TimeSpan.Zero || d > TimeSpan.FromDays(7)))
        {
            ThrowTerminating(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument, d,
                $"-Duration {d} is out of range.", "Give a positive duration up to seven days, or omit it and stop with Ctrl+C.");
        }
        var filter = CreateFilter(null, RemoteAddress, null, RemotePort, null, IPFamily.Any);
        Guarded(() => Watch(PlatformServices.TcpState(SystemRoot), filter), null, ErrorIds.TcpTableUnavailable,
            "Reading the TCP socket table", "Run again; if it persists, check that /proc is readable.");
    }

    private void Watch(ITcpStateSource source, TcpConnectionFilter filter)
    {
        var sampler = new SocketTableSampler(source);
        var watch = Stopwatch.StartNew();
        using var progress = StartProgress("Watch-TcpState", "Sampling the TCP socket table");
        TcpStateSample? previous = null;
        var next = TimeSpan.Zero;
        while (!progress.Cancelled)
        {
            var sample = ToSample(sampler.Tally(filter.Matches, WriteWarning), watch.Elapsed, sampler.Scope, previous);
            WriteObject(sample);
            previous = sample;
            progress.Show($"TIME_WAIT {sample.TimeWait}, ESTABLISHED {sample.Established}, total {sample.Total}",
                Duration is { } total ? (int)(100 * watch.Elapsed.TotalMilliseconds / total.TotalMilliseconds) : null);
            next += Interval;
            if (Duration is { } limit && next > limit)
            {
                break;
            }
            if (!progress.Sleep(next - watch.Elapsed))
            {
                break;
            }
        }
    }

    internal static TcpStateSample ToSample(TcpStateTally tally, TimeSpan elapsed, string scope, TcpStateSample? previous)
    {
        int timeWait = tally[TcpState.TimeWait], established = tally[TcpState.Established];
        int finWait = tally[TcpState.FinWait1] + tally[TcpState.FinWait2];
        int synSent = tally[TcpState.SynSent], closeWait = tally[TcpState.CloseWait], listen = tally[TcpState.Listen];
        double? seconds = previous is null ? null : Math.Max(1e-3, (elapsed - previous.Elapsed).TotalSeconds);
        return new TcpStateSample
        {
            Timestamp = DateTime.Now,
            Elapsed = elapsed,
            Scope = scope,
            Total = tally.Total,
            Established = established,
            SynSent = synSent,
            FinWait = finWait,
            CloseWait = closeWait,
            TimeWait = timeWait,
            Listen = listen,
            Other = tally.Total - timeWait - established - finWait - synSent - closeWait - listen,
            TimeWaitGrowthPerSecond = seconds is { } s ? Math.Round((timeWait - previous!.TimeWait) / s, 2) : null,
            EstablishedGrowthPerSecond = seconds is { } s2 ? Math.Round((established - previous!.Established) / s2, 2) : null,
            ByState = tally.ByState(),
        };
    }
}
