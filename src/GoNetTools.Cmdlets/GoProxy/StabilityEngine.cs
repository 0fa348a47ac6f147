using System;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Platform;
using GoNetTools.Foundation;
using GoNetTools.Tcp;

namespace GoNetTools.GoProxy;

/// <summary>
/// One Test-GoProxyStability run, on background tasks: the replay (ReplayDriver), a 500 ms tick that samples our
/// TIME_WAIT sockets, watches for stalls and a dead proxy, and ends the run — at -Duration (in-flight requests get
/// up to <see cref="Grace"/> to finish and are then judged), at the request budget, or early once the verdict is
/// certain (a stall, a proxy that stopped accepting connections, a proxy that cannot be used at all). Returns the
/// figures and findings; never touches PowerShell.
/// </summary>
internal sealed class StabilityEngine
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);
    /// <summary>After -Duration, in-flight requests get this long (a TLS handshake its full 10 s) before they are judged.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    /// <summary>Failed connection attempts in a row (each after its backoff) that mean the proxy is down: the run ends.</summary>
    public const int DeadAfterConnectFailures = 5;

    private readonly StabilityOptions _options;
    private volatile StabilityProgressBox _progress = new(new StabilityProgress(TimeSpan.Zero, 0, 0, 0, 0, 0, "Starting"));

    public StabilityEngine(StabilityOptions options) => _options = options;

    public StabilityProgress Progress => _progress.Value;

    /// <summary>Warnings (unreadable socket table, no counters) for the cmdlet to write on its thread.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    public async Task<GoProxyStabilityResult> RunAsync(CancellationToken cancel)
    {
        var o = _options;
        var proxy = o.Proxy.FirstUrl!;
        var addresses = await ResolveAsync(proxy, cancel).ConfigureAwait(false);
        ITcpStateSource? tcp = TryTcpSource(o.SystemRoot);
        var tracker = new RequestTracker();
        bool local = o.IsLocal;
        var policy = new GuestPolicy(
            o.MaxRequests ?? (local || o.Stress ? null : GuestPolicy.DefaultMaxRequests),
            o.MaxRequestRate ?? (local || o.Stress ? null : GuestPolicy.DefaultMaxRequestRate),
            backOffOnBusy: !local && !o.Stress);
        var registry = new ConnectionRegistry(o.BindAddress, policy, tracker);
        var monitor = tcp is null ? null : new TimeWaitMonitor(tcp, addresses, proxy.Port, registry.LocalPorts);
        var countersBefore = TryCounters(tcp);
        var log = new RequestLog();
        using var wake = new SemaphoreSlim(0);
        log.Failed = () => wake.Release();
        var driver = new ReplayDriver(o, new ProxyFetcher(registry, log, policy, tracker), registry);

        using var issue = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => driver.RunAsync(issue.Token, abort.Token), CancellationToken.None);
        var stop = new RunStop(o, policy, registry, tracker, log);
        (int Client, int Server) peak = (0, 0), now = (0, 0);
        TimeSpan? issueEnded = null;
        var sampled = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            // A failure wakes the loop at once: a fatal cause stops the run before the next (backed-off) attempt.
            using (var tick = new CancellationTokenSource(SampleEvery))
            {
                try
                {
                    await Task.WhenAny(run, wake.WaitAsync(tick.Token)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The tick.
                }
            }
            if (clock.Elapsed - sampled >= SampleEvery)
            {
                sampled = clock.Elapsed;
                now = TryCount(monitor);
                peak = (Math.Max(peak.Client, now.Client), Math.Max(peak.Server, now.Server));
                if (monitor is not null)
                {
                    registry.SettleClosers(monitor.ClientTimeWaitPorts, monitor.ReadAt);
                }
            }
            var (endIssue, endAbort) = stop.Check(clock.Elapsed, issueEnded);
            if (endIssue && !issue.IsCancellationRequested)
            {
                issue.Cancel();
                issueEnded = clock.Elapsed;
            }
            if (endAbort)
            {
                abort.Cancel();
            }
            _progress = new StabilityProgressBox(new StabilityProgress(clock.Elapsed, log.Count, log.FailureCount, registry.Count, now.Client,
                driver.Round, issue.IsCancellationRequested ? "Finishing" : o.Stress ? "Stress" : "Replaying"));
        }
        await run.ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        cancel.ThrowIfCancellationRequested();
        await registry.SettleAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await SettleSocketsAsync(monitor).ConfigureAwait(false);
        now = TryCount(monitor);
        peak = (Math.Max(peak.Client, now.Client), Math.Max(peak.Server, now.Server));
        if (monitor is not null)
        {
            registry.SettleClosers(monitor.ClientTimeWaitPorts, monitor.ReadAt);
        }
        var connections = registry.Finish();
        var clientSockets = TryTally(monitor);
        var countersAfter = TryCounters(tcp);
        cancel.ThrowIfCancellationRequested();
        if (stop.Fatal is { } fatal)
        {
            throw fatal;
        }
        var rounds = driver.CompletedRounds;
        log.Retry(FailureClassifier.GoAwayUnprocessed, registry.UnprocessedStreams());
        var input = new ResultInput(o, elapsed, log.Summary(), connections, registry, peak, now, monitor?.ProxyIsLocal ?? local,
            monitor?.ProxyIsLoopback ?? false, tcp?.Scope ?? "unknown", clientSockets, countersBefore, countersAfter, tcp, Warnings.Enqueue)
        {
            Rounds = o.Stress ? driver.StressPasses(o.Modules.Length) : rounds.Count,
            RoundDurations = rounds.Select(r => r.Duration).ToArray(),
            RequestsPerRound = rounds.Count == 0 ? 0 : rounds.Average(r => r.Requests),
            StoppedEarly = stop.Reason,
            Policy = policy,
            Tracker = tracker,
        };
        return ResultBuilder.Build(input);
    }

    /// <summary>Our closed sockets pass FIN_WAIT/LAST_ACK within a round trip; wait (at most a second) so the TIME_WAIT figure is final.</summary>
    private async Task SettleSocketsAsync(TimeWaitMonitor? monitor)
    {
        for (int i = 0; i < 20 && TryTally(monitor) is { } tally
            && tally[TcpState.FinWait1] + tally[TcpState.FinWait2] + tally[TcpState.Closing] + tally[TcpState.LastAck] + tally[TcpState.CloseWait] > 0; i++)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(Uri proxy, CancellationToken cancel)
    {
        if (IPAddress.TryParse(proxy.IdnHost.Trim('[', ']'), out var literal))
        {
            return new[] { literal };
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            return await Dns.GetHostAddressesAsync(proxy.IdnHost, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            throw new GoNetToolsException(ErrorIds.ProxyUnreachable, FailureKind.ConnectionError,
                $"The proxy host '{proxy.IdnHost}' does not resolve: {e.Message}", "Check the name in -Proxy or GOPROXY, and the DNS settings.", e);
        }
    }

    private ITcpStateSource? TryTcpSource(string root)
    {
        try
        {
            return PlatformServices.TcpState(root);
        }
        catch (GoNetToolsException e)
        {
            Warnings.Enqueue($"TIME_WAIT and counters are not measured: {e.Message}");
            return null;
        }
    }

    private OrderedDictionary? TryCounters(ITcpStateSource? tcp)
    {
        try
        {
            return tcp?.ReadCounters(Warnings.Enqueue);
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException)
        {
            Warnings.Enqueue($"TCP counters are not measured: {e.Message}");
            return null;
        }
    }

    private (int Client, int Server) TryCount(TimeWaitMonitor? monitor)
    {
        try
        {
            return monitor?.Count(Warnings.Enqueue) ?? (0, 0);
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Warnings.Enqueue($"Reading TIME_WAIT sockets failed: {e.Message}");
            return (0, 0);
        }
    }

    private Tcp.TcpStateTally? TryTally(TimeWaitMonitor? monitor)
    {
        try
        {
            return monitor?.ClientSockets(Warnings.Enqueue);
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Warnings.Enqueue($"Reading the socket table failed: {e.Message}");
            return null;
        }
    }

    private sealed record StabilityProgressBox(StabilityProgress Value);
}
