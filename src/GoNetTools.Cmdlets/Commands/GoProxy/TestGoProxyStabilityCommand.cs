using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>
/// Test-GoProxyStability: replays what `go mod download` sends to a GOPROXY (cold rounds of the module set or a
/// go.mod's build list, cmd/go's order, concurrency and transport), judges every request, measures connections,
/// TLS, HTTP/2 GOAWAY/RST_STREAM, our TIME_WAIT and retransmissions, and answers Stable, Degraded or Unstable with
/// findings. A guest on proxies not on this host (request budget, rate cap, backoff, Retry-After); -Stress is an
/// explicit load test; -Compare runs HTTP/2 beside HTTP/1.1.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GoProxyStability", DefaultParameterSetName = ProxySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GoProxyStabilityResult))]
[OutputType(typeof(GoProxyComparison))]
[OutputType(typeof(GoProxyConnection))]
public sealed partial class TestGoProxyStabilityCommand : GoNetToolsCmdlet
{
    private const string ProxySet = "Proxy";
    private const string LabSet = "Lab";

    /// <summary>The GOPROXY URL or list ("https://a,https://b|direct"); default: $env:GOPROXY, else `go env GOPROXY`, else https://proxy.golang.org.</summary>
    [Parameter(Position = 0, ParameterSetName = ProxySet)]
    [ValidateNotNullOrEmpty]
    public string? Proxy { get; set; }

    /// <summary>Bind outbound connections to this adapter's address ("Wi-Fi" and "Ethernet" name the first wireless or wired adapter that is up).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string? Adapter { get; set; }

    /// <summary>Starts a default lab GOPROXY (Start-GoProxyLab) for the run, trusts its CA, and stops it afterwards.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabSet)]
    public SwitchParameter Lab { get; set; }

    /// <summary>Modules to fetch: "path@version", or a query: "path" or "path@latest", "path@v1", "path@v1.2".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Module { get; set; }

    /// <summary>A go.mod: each round reads its module graph and downloads what `go mod download` there would.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GoMod { get; set; }

    /// <summary>The longest the run lasts (default 30 s; '45s', '2m', 00:01:00).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rounds (cold downloads) to replay; default: as many as fit in -Duration.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Rounds { get; set; }

    /// <summary>Pause between rounds (default 1 s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Pause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Parallel downloads (default: the processor count, as GOMAXPROCS).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>"2" (Go's default: HTTP/2 over https) or "1.1" (as GODEBUG=http2client=0).</summary>
    [Parameter]
    [ValidateSet("2", "1.1")]
    public string HttpVersion { get; set; } = "2";

    /// <summary>Idle HTTP/1.1 connections kept per host (Go's MaxIdleConnsPerHost, default 2); the rest are closed after use.</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int MaxIdleConnectionsPerHost { get; set; } = 2;

    /// <summary>Request budget for the run (default 600 against a proxy not on this host, none on this host or with -Stress).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxRequests { get; set; }

    /// <summary>Average requests per second at most (default 10, bursts of 60, against a proxy not on this host; none on this host or with -Stress).</summary>
    [Parameter]
    [ValidateRange(0.1, 1_000_000.0)]
    public double MaxRequestRate { get; set; }

    /// <summary>A load test instead of a replay: parallel fetches back to back on one warm client, no budget or rate cap. Asks for confirmation against a proxy not on this host.</summary>
    [Parameter]
    public SwitchParameter Stress { get; set; }

    /// <summary>Runs the same replay as HTTP/2 and as HTTP/1.1 and writes a GoProxyComparison saying which is healthier.</summary>
    [Parameter]
    public SwitchParameter Compare { get; set; }

    /// <summary>With -Compare: also compare at this many parallel fetches.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int CompareConcurrency { get; set; }

    /// <summary>Accept any server certificate (a proxy with a private CA you have not installed).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Also writes one GoNetTools.GoProxyConnection per TCP connection after the result.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24) || Pause < TimeSpan.Zero || Pause > TimeSpan.FromHours(1))
        {
            ThrowTerminating(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument, Duration,
                $"-Duration {Duration} / -Pause {Pause} is out of range.", "Give a -Duration up to 24 hours, such as 30s or 00:00:30, and a -Pause up to an hour.");
        }
        try
        {
            var session = PrepareRun();
            try
            {
                if (!Confirmed(session))
                {
                    return;
                }
                IEnumerable<(bool Http11, int Concurrency)> variants = Compare
                    ? ProxyComparer.Variants(Concurrency, MyInvocation.BoundParameters.ContainsKey(nameof(CompareConcurrency)) ? CompareConcurrency : null)
                    : new[] { (session.Options.Http11, session.Options.Concurrency) };
                var results = new List<GoProxyStabilityResult>();
                foreach (var (http11, concurrency) in variants)
                {
                    var result = Run(session.Options with { Http11 = http11, Concurrency = concurrency });
                    if (result is null)
                    {
                        return;
                    }
                    results.Add(result);
                }
                WriteObject(Compare ? ProxyComparer.Compare(results) : results[0]);
                foreach (var record in PassThru ? results.SelectMany(r => r.ConnectionRecords ?? Array.Empty<GoProxyConnection>()) : Array.Empty<GoProxyConnection>())
                {
                    WriteObject(record);
                }
            }
            finally
            {
                session.Cleanup();
            }
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, TargetOf(e));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            // Ctrl+C while -Lab's lab was starting.
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// -WhatIf shows the plan and sends nothing. -Stress against a proxy not on this host lifts the guest limits: that
    /// needs a yes (ConfirmImpact High; -Confirm:$false in scripts). Other runs go ahead.
    /// </summary>
    private bool Confirmed(RunSession session)
    {
        var o = session.Options;
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true };
        if (!whatIf && (!Stress || o.IsLocal))
        {
            return true;
        }
        var plan = Stress
            ? $"Stress test for up to {o.Duration}: {o.Concurrency} parallel fetches back to back on one client, no request budget, no rate cap"
            : $"Replay `go mod download` of {(o.GoMod is null ? $"{o.Modules.Length} module(s)" : $"the build list of {o.GoMod.ModulePath}")} for up to {o.Duration}"
              + (o.Rounds is { } n ? $" ({n} rounds)" : "") + (o.IsLocal ? ", no limits (on this host)" : $", at most {o.MaxRequests ?? GuestPolicy.DefaultMaxRequests} requests, {o.MaxRequestRate ?? GuestPolicy.DefaultMaxRequestRate}/s");
        try
        {
            return ShouldProcess(o.Proxy.ToString(), plan);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            // The host could not ask: -NonInteractive (PSInvalidOperationException), a host without prompts, or pwsh's
            // console host reading a closed stdin (its prompt then fails with a NullReferenceException).
            ThrowTerminating(ErrorIds.StressNotConfirmed, ErrorCategory.PermissionDenied, Proxy,
                $"-Stress against {o.Proxy}, which is not on this host, needs confirmation, and this host cannot ask ({(e is NullReferenceException ? "its input is closed" : e.Message)}).",
                "Run it interactively and answer the prompt, or add -Confirm:$false to confirm that you may load this proxy without limits.");
            return false;
        }
    }

    /// <summary>Runs the engine on a background task; progress, warnings and output stay on this thread.</summary>
    private GoProxyStabilityResult? Run(StabilityOptions options)
    {
        var engine = new StabilityEngine(options);
        var run = Task.Run(() => engine.RunAsync(CancelToken));
        var name = Compare ? $" ({(options.Http11 ? "HTTP/1.1" : "HTTP/2")} ×{options.Concurrency})" : "";
        using var progress = StartProgress("Test-GoProxyStability" + name, $"{(options.Stress ? "Stress test of" : "Replaying go mod download against")} {options.Proxy}");
        var limit = options.Duration + StabilityEngine.Grace + TimeSpan.FromSeconds(15);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(250))
        {
            DrainWarnings(engine);
            var p = engine.Progress;
            var status = $"{p.Phase} round {p.Round}: {p.Requests} requests, {p.Failures} failed, {p.Connections} connections, TIME_WAIT {p.TimeWait}";
            if (options.Rounds is { } rounds)
            {
                progress.Show(status, Math.Min(100, 100 * Math.Max(0, p.Round - 1) / rounds));
            }
            else
            {
                progress.Show(status, Math.Min(100, (int)(100 * p.Elapsed.TotalMilliseconds / options.Duration.TotalMilliseconds)),
                    Math.Max(0, (int)(options.Duration - p.Elapsed).TotalSeconds));
            }
            if (watch.Elapsed > limit)
            {
                if (CancelToken.IsCancellationRequested)
                {
                    return null;
                }
                ThrowTerminating(ErrorIds.StabilityRunFailed, ErrorCategory.OperationTimeout, options.Proxy.ToString(),
                    "The run did not finish in time.", "Run again with a shorter -Duration; report this if it repeats.");
            }
        }
        progress.Dispose();
        DrainWarnings(engine);
        if (CancelToken.IsCancellationRequested)
        {
            return null;
        }
        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private object? TargetOf(GoNetToolsException e) => e.ErrorId switch
    {
        ErrorIds.InvalidGoMod or ErrorIds.GoModNotFound => GoMod,
        ErrorIds.InvalidModule => Module,
        ErrorIds.AdapterNotFound or ErrorIds.AdapterHasNoAddress or ErrorIds.NicInfoUnavailable => Adapter,
        _ => Proxy,
    };

    private void DrainWarnings(StabilityEngine engine)
    {
        while (engine.Warnings.TryDequeue(out var warning))
        {
            WriteWarning(warning);
        }
    }
}
