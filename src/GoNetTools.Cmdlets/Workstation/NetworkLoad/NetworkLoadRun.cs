using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.GoProxy;
using GoNetTools.Platform;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation.NetworkLoad;

/// <summary>How Test-NetworkUnderLoad runs.</summary>
internal sealed class NetworkLoadOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public int Windows { get; init; } = 5;
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public bool Compile { get; init; } = true;
    public bool Download { get; init; } = true;
    public IReadOnlyList<string> Adapters { get; init; } = Array.Empty<string>();
    /// <summary>ICMP echo target; null probes with UDP echo over loopback.</summary>
    public IPAddress? IcmpTarget { get; init; }
    public string Via { get; init; } = "";
    /// <summary>The module's folder, to find the lab server; and the runspace that owns the lab.</summary>
    public string? ModuleBase { get; init; }
    public Guid LabOwner { get; init; }
}

/// <summary>
/// The network under compile load: an idle baseline, then the same probe while `go build -a std` loops and `go mod
/// download` pulls a lab GOPROXY's catalog, each phase cut into windows so the baseline's spread measures run-to-run
/// noise. The machine is sampled throughout; the lab starts before the baseline so its start-up is not in either
/// phase. Ctrl+C kills the load's process groups, stops the lab and removes the private directory.
/// </summary>
internal sealed class NetworkLoadRun
{
    private readonly IWorkstationSource _source;
    private readonly string _go;
    private readonly NetworkLoadOptions _options;
    private readonly CancellationToken _cancel;

    public NetworkLoadRun(IWorkstationSource source, string go, NetworkLoadOptions options, CancellationToken cancel)
    {
        _source = source;
        _go = go;
        _options = options;
        _cancel = cancel;
    }

    /// <summary>Called on the caller's thread about twice a second: (status, percent complete).</summary>
    public Action<string, int>? Progress { get; init; }

    /// <summary>After <see cref="Run"/>: what the last failed compile and download runs said, or null.</summary>
    public (string? Compile, string? Download) LoadFailures { get; private set; }

    private volatile Exception? _probeFailure;

    public NetworkLoadResult Run()
    {
        using var directory = PrivateDirectory.Create("netload");
        GoProxyLab? lab = null;
        var clock = Stopwatch.StartNew();
        var log = new ProbeLog(clock);
        using var stopProbe = new CancellationTokenSource();
        using var probe = MakeProbe(clock);
        var sampler = _source.Sampler(_options.Adapters);
        using var load = new BuildLoad(_go, directory.Path, _cancel);
        Thread? probing = null;
        try
        {
            if (_options.Download)
            {
                Progress?.Invoke("Starting a lab GOPROXY for the download load", 0);
                lab = GoProxyLabLauncher.Start(new GoProxyLabOptions(), _options.ModuleBase, _options.LabOwner, _cancel);
            }
            using var recorder = new SampleRecorder(sampler, _options.SampleInterval, "baseline");
            probing = new Thread(() => RunProbe(probe, log, stopProbe.Token)) { IsBackground = true, Name = "GoNetTools probe" };
            probing.Start();
            var baseline = Phase(clock, recorder, "baseline", 0);
            recorder.TakeNow();
            recorder.Phase = "warmup";
            if (_options.Compile)
            {
                load.StartCompile();
            }
            if (lab is not null)
            {
                load.StartDownload(lab.Modules, lab.GoEnvironment);
            }
            Wait(clock, clock.Elapsed + _options.Warmup, "warming up the load", 50);
            recorder.Phase = "load";
            var loaded = Phase(clock, recorder, "load", 50);
            recorder.TakeNow();
            recorder.Phase = "drain";
            Wait(clock, clock.Elapsed + _options.ProbeTimeout, "waiting for the last probe answers", 99);
            stopProbe.Cancel();
            probing.Join();
            load.Stop();
            recorder.Stop();
            LoadFailures = (load.Compile.LastFailure, load.Download.LastFailure);
            return Result(probe, log, recorder.Samples(), baseline, loaded, load, lab, sampler.Gaps);
        }
        finally
        {
            stopProbe.Cancel();
            probing?.Join(TimeSpan.FromSeconds(5));
            load.Stop();
            if (lab is not null)
            {
                GoProxyLabRegistry.Stop(lab);
            }
        }
    }

    private IProbe MakeProbe(Stopwatch clock)
    {
        try
        {
            return _options.IcmpTarget is { } target ? new IcmpProbe(target, _options.Via, clock, _options.ProbeTimeout) : new UdpEchoProbe(clock);
        }
        catch (SocketException e)
        {
            throw ProbeFailed("the loopback UDP echo", e);
        }
    }

    /// <summary>The probe's thread: a failure is kept for the pipeline thread, which stops the run at its next wait.</summary>
    private void RunProbe(IProbe probe, ProbeLog log, CancellationToken stop)
    {
        try
        {
            probe.Run(log, _options.ProbeInterval, stop);
        }
        catch (Exception e) when (e is SocketException or PingException or InvalidOperationException or PlatformNotSupportedException or ObjectDisposedException)
        {
            _probeFailure = ProbeFailed(probe.Description, e);
        }
    }

    private static GoNetToolsException ProbeFailed(string probe, Exception e) =>
        new(ErrorIds.ProbeFailed, FailureKind.OperationFailed, $"The probe ({probe}) failed: {e.Message}",
            "Probe over loopback (no -Adapter, no -Target), or run as root so ICMP echo can use a raw socket.", e);

    private (TimeSpan Start, TimeSpan End) Phase(Stopwatch clock, SampleRecorder recorder, string name, int percentStart)
    {
        recorder.Phase = name;
        var start = clock.Elapsed;
        Wait(clock, start + _options.Duration, name, percentStart);
        return (start, clock.Elapsed);
    }

    private void Wait(Stopwatch clock, TimeSpan until, string status, int percentStart)
    {
        while (clock.Elapsed < until)
        {
            var left = until - clock.Elapsed;
            var done = 1 - Math.Min(1, left.TotalMilliseconds / Math.Max(1, _options.Duration.TotalMilliseconds));
            Progress?.Invoke($"{status}: {Math.Ceiling(left.TotalSeconds):0} s left", Math.Clamp(percentStart + (int)(49 * done), 0, 100));
            if (_cancel.WaitHandle.WaitOne(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500)))
            {
                _cancel.ThrowIfCancellationRequested();
            }
            if (_probeFailure is { } failure)
            {
                throw failure;
            }
        }
    }

    private NetworkLoadResult Result(IProbe probe, ProbeLog log, MachineSample[] samples, (TimeSpan Start, TimeSpan End) baseRange,
        (TimeSpan Start, TimeSpan End) loadRange, BuildLoad load, GoProxyLab? lab, IReadOnlyList<WorkstationGap> gaps)
    {
        var (baseline, baseWindows) = Figures("baseline", baseRange, log, samples);
        var (loaded, loadWindows) = Figures("load", loadRange, log, samples);
        var changes = NetworkLoadJudge.Changes(baseline, loaded, baseWindows, loadWindows);
        var chain = NetworkLoadJudge.Chain(changes);
        var description = string.Join(" + ", new[]
        {
            _options.Compile ? "go build -a std in a loop" : null,
            lab is not null ? $"go mod download of {lab.Modules.Length} module versions from the lab {lab.Url} in a loop" : null,
        }.OfType<string>());
        return new NetworkLoadResult
        {
            Probe = probe.Description,
            Adapters = _options.Adapters.ToArray(),
            Load = description.Length == 0 ? "none" : description,
            Baseline = baseline,
            UnderLoad = loaded,
            Changes = changes.ToArray(),
            Chain = chain.ToArray(),
            Conclusion = NetworkLoadJudge.Conclusion(description, changes, chain),
            CompileRunsStarted = load.Compile.Started,
            CompileRunsFinished = load.Compile.Finished,
            CompileRunsFailed = load.Compile.Failed,
            DownloadRunsFinished = load.Download.Finished,
            DownloadRunsFailed = load.Download.Failed,
            LabUrl = lab?.Url,
            NotExposed = gaps.Select(g => g.ToString()).ToArray(),
            Samples = samples,
        };
    }

    /// <summary>The phase's figures over its whole range, and per window.</summary>
    private (NetworkLoadPhase, List<WindowFigures>) Figures(string name, (TimeSpan Start, TimeSpan End) range, ProbeLog log, MachineSample[] samples)
    {
        var (sent, lost, rtts) = log.Window(range.Start, range.End, _options.ProbeTimeout);
        var inPhase = new SampleSummary(samples.Where(s => s.Phase == name).ToList());
        var windows = new List<WindowFigures>();
        var width = (range.End - range.Start) / _options.Windows;
        for (var i = 0; i < _options.Windows; i++)
        {
            var from = range.Start + width * i;
            var to = from + width;
            var (_, _, windowRtts) = log.Window(from, to, _options.ProbeTimeout);
            var windowSamples = new SampleSummary(samples.Where(s => s.Offset >= from && s.Offset <= to).ToList());
            windows.Add(new WindowFigures(ProbeLog.Percentile(windowRtts, 50), ProbeLog.Percentile(windowRtts, 99), windowSamples.ClockMean, windowSamples.TemperatureMax));
        }
        var phase = new NetworkLoadPhase
        {
            Name = name,
            Duration = range.End - range.Start,
            ProbesSent = sent,
            ProbesLost = lost,
            LossPercent = sent == 0 ? 0 : Math.Round(100.0 * lost / sent, 3),
            LatencyP50 = TimeSpan.FromMilliseconds(ProbeLog.Percentile(rtts, 50)),
            LatencyP99 = TimeSpan.FromMilliseconds(ProbeLog.Percentile(rtts, 99)),
            WindowP99Ms = windows.Select(w => Math.Round(w.P99Ms, 3)).ToArray(),
            SoftnetDropped = inPhase.Delta(s => s.SoftnetDropped),
            SoftnetTimeSqueeze = inPhase.Delta(s => s.SoftnetTimeSqueeze),
            NicRxDropped = inPhase.Delta(s => s.NicRxDropped),
            NicRxMissed = inPhase.Delta(s => s.NicRxMissed),
            TcpRetransmits = inPhase.Delta(s => s.TcpRetransmits),
            CpuMHzMean = inPhase.ClockMean is { } mean ? Math.Round(mean) : null,
            CpuMHzMin = inPhase.ClockMeanMin is { } low ? Math.Round(low) : null,
            TemperatureMaxC = inPhase.TemperatureMax,
            ThrottleEvents = inPhase.Delta(s => s.ThrottleEvents),
            CpuPressurePercent = inPhase.PressurePercent(s => s.CpuPressureUs),
        };
        return (phase, windows);
    }
}
