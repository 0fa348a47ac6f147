using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>
/// Test-GoProxyStability: loads a GOPROXY the way cmd/go does (list → info → mod → zip per module, GOMAXPROCS
/// parallel fetches, HTTP/2 or Go's HTTP/1.1 pool) for -Duration, measures requests, connections, TLS, HTTP/2
/// GOAWAY/RST_STREAM frames, TIME_WAIT and retransmissions, and answers Stable, Degraded or Unstable with findings.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GoProxyStability", DefaultParameterSetName = ProxySet)]
[OutputType(typeof(GoProxyStabilityResult))]
[OutputType(typeof(GoProxyConnection))]
public sealed partial class TestGoProxyStabilityCommand : GoNetToolsCmdlet
{
    private const string ProxySet = "Proxy";
    private const string LabSet = "Lab";

    /// <summary>The GOPROXY URL; default: the first URL in $env:GOPROXY, else `go env GOPROXY`, else https://proxy.golang.org.</summary>
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

    /// <summary>Modules to fetch: "path" (latest from @v/list) or "path@version".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Module { get; set; }

    /// <summary>A go.mod whose require lines name the modules to fetch.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GoMod { get; set; }

    /// <summary>How long to load the proxy (default 30 s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Parallel module fetches (default: the processor count, as GOMAXPROCS).</summary>
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

    /// <summary>Accept any server certificate (a proxy with a private CA you have not installed).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Also writes one GoNetTools.GoProxyConnection per TCP connection after the result.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24))
        {
            ThrowTerminating(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument, Duration,
                $"-Duration {Duration} is out of range.", "Give a positive duration up to 24 hours, such as 00:00:30.");
        }
        try
        {
            var session = PrepareRun();
            try
            {
                var options = session.Options;
                var result = Run(options);
                if (result is null)
                {
                    return;
                }
                WriteObject(result);
                if (PassThru && result.ConnectionRecords is { } records)
                {
                    foreach (var record in records)
                    {
                        WriteObject(record);
                    }
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
    }

    /// <summary>Runs the engine on a background task; progress, warnings and output stay on this thread.</summary>
    private GoProxyStabilityResult? Run(StabilityOptions options)
    {
        var engine = new StabilityEngine(options);
        var run = Task.Run(() => engine.RunAsync(CancelToken));
        var progress = new ProgressRecord(1, "Test-GoProxyStability", $"Loading {options.Proxy} with {options.Concurrency} parallel fetches");
        var limit = options.Duration + StabilityEngine.Grace + TimeSpan.FromSeconds(15);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(250))
        {
            DrainWarnings(engine);
            var p = engine.Progress;
            progress.PercentComplete = Math.Min(100, (int)(100 * p.Elapsed.TotalMilliseconds / options.Duration.TotalMilliseconds));
            progress.SecondsRemaining = Math.Max(0, (int)(options.Duration - p.Elapsed).TotalSeconds);
            progress.StatusDescription = $"{p.Phase}: {p.Requests} requests, {p.Failures} failed, {p.Connections} connections, TIME_WAIT {p.TimeWait}";
            WriteProgress(progress);
            if (CancelToken.IsCancellationRequested && watch.Elapsed > limit)
            {
                return null;
            }
            if (watch.Elapsed > limit)
            {
                ThrowTerminating(ErrorIds.StabilityRunFailed, ErrorCategory.OperationTimeout, options.Proxy,
                    "The run did not finish in time.", "Run again with a shorter -Duration; report this if it repeats.");
            }
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
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
