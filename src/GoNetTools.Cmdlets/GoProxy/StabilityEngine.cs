using System;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Platform;

namespace GoNetTools.GoProxy;

/// <summary>
/// One Test-GoProxyStability run, on background tasks: the load (LoadRunner over GoTransport), a sampler that
/// reads the TIME_WAIT population toward the proxy every 500 ms, TCP counters before and after. Returns the
/// figures and findings; never touches PowerShell. Stops at Duration, on cancellation, or early when no
/// connection to the proxy can be made at all; never waits more than 10 s past Duration for stragglers.
/// </summary>
internal sealed class StabilityEngine
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly StabilityOptions _options;
    private volatile StabilityProgressBox _progress = new(new StabilityProgress(TimeSpan.Zero, 0, 0, 0, 0, "Starting"));

    public StabilityEngine(StabilityOptions options) => _options = options;

    public StabilityProgress Progress => _progress.Value;

    /// <summary>Warnings (unreadable socket table, no counters) for the cmdlet to write on its thread.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    public async Task<GoProxyStabilityResult> RunAsync(CancellationToken cancel)
    {
        var o = _options;
        var addresses = await ResolveAsync(o.Proxy, cancel).ConfigureAwait(false);
        int port = o.Proxy.Port;
        ITcpStateSource? tcp = TryTcpSource(o.SystemRoot);
        var monitor = tcp is null ? null : new TimeWaitMonitor(tcp, addresses, port);
        var countersBefore = TryCounters(tcp);
        var twStart = TryCount(monitor);
        var twPeak = twStart;

        var registry = new ConnectionRegistry(o.BindAddress);
        var log = new RequestLog();
        using var transport = new GoTransport(registry, o.Proxy, o.Http11, o.MaxIdleConnectionsPerHost, o.SkipCertificateCheck, o.TrustedRootPath);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        run.CancelAfter(o.Duration);
        var clock = Stopwatch.StartNew();
        var load = new LoadRunner(o.Proxy, o.Modules, transport, log).RunAsync(o.Concurrency, run.Token);
        string? fatal = null;
        var twEnd = twStart;
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(SampleEvery, CancellationToken.None)).ConfigureAwait(false);
            twEnd = TryCount(monitor);
            if (twEnd.Client + twEnd.Server > twPeak.Client + twPeak.Server)
            {
                twPeak = twEnd;
            }
            fatal ??= FatalCause(log, registry, o.Concurrency);
            if (fatal is not null)
            {
                run.Cancel();
            }
            _progress = new StabilityProgressBox(new StabilityProgress(clock.Elapsed, log.Count, log.FailureCount, registry.Count, twEnd.Client + twEnd.Server,
                run.IsCancellationRequested ? "Finishing" : "Loading"));
            if (run.IsCancellationRequested && clock.Elapsed > o.Duration + Grace)
            {
                Warnings.Enqueue($"Some requests did not finish within {Grace.TotalSeconds:0} s of the end of the run; they are left out.");
                break;
            }
        }
        var elapsed = clock.Elapsed > o.Duration ? o.Duration : clock.Elapsed;
        twEnd = TryCount(monitor);
        var connections = registry.Finish();
        var clientSockets = TryTally(monitor);
        var countersAfter = TryCounters(tcp);
        cancel.ThrowIfCancellationRequested();
        if (fatal is not null)
        {
            throw Fatal(fatal, o.Proxy, log);
        }
        var input = new ResultInput(o, elapsed, log.Summary(), connections, registry, twStart, twPeak, twEnd, monitor?.ProxyIsLocal ?? false,
            tcp?.Scope ?? "unknown", clientSockets, countersBefore, countersAfter, tcp, Warnings.Enqueue);
        return ResultBuilder.Build(input);
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

    /// <summary>No success at all, and enough failures of one connection-level kind: the proxy cannot be used.</summary>
    private static string? FatalCause(RequestLog log, ConnectionRegistry registry, int concurrency)
    {
        if (log.Successes > 0 || log.FailureCount < Math.Max(4, concurrency))
        {
            return null;
        }
        var failures = log.FailureCounts();
        if (!registry.AnyEstablished)
        {
            // Not one connection got as far as HTTP: refused, unreachable, or the TLS handshake never completed.
            return failures.ContainsKey(FailureClassifier.TlsHandshake)
                ? FailureClassifier.TlsHandshake
                : failures.OrderByDescending(kv => kv.Value).First().Key;
        }
        if (failures.Keys.All(f => f is FailureClassifier.NotGoProxy or FailureClassifier.NotFound))
        {
            return FailureClassifier.NotGoProxy;
        }
        return null;
    }

    private static GoNetToolsException Fatal(string cause, Uri proxy, RequestLog log) => cause switch
    {
        FailureClassifier.TlsHandshake => new GoNetToolsException(ErrorIds.ProxyTlsFailed, FailureKind.ConnectionError,
            $"The TLS handshake with {proxy} failed on every attempt ({log.FailureCount} tries).",
            "Trust the proxy's CA (SSL_CERT_FILE, the system store), check that it speaks TLS on this port, or use -SkipCertificateCheck to test anyway."),
        FailureClassifier.NotGoProxy => new GoNetToolsException(ErrorIds.NotGoProxy, FailureKind.InvalidData,
            $"{proxy} answers, but not as a GOPROXY: {log.FailureCount} requests got HTML, a non-version list, or 404/410 for every module.",
            "Check the URL (a GOPROXY serves <module>/@v/list), and that the modules (-Module, -GoMod) exist there."),
        _ => new GoNetToolsException(ErrorIds.ProxyUnreachable, FailureKind.ConnectionError,
            $"No connection to {proxy} could be made: {cause} on all {log.FailureCount} attempts.",
            "Check the URL and port, that the proxy runs, and the firewall; with -Adapter, that the adapter reaches it."),
    };

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

    private Core.TcpStateTally? TryTally(TimeWaitMonitor? monitor)
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
