using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation.Processes;
using GoNetTools.GoModDownload;
using GoNetTools.Platform;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation;

/// <summary>
/// The cold-build benchmark done safely: every go run in a private directory of its own (<see cref="GoSandbox"/>),
/// a fresh GOCACHE for each run, N runs per workload with a sample of the machine every interval. HelloWorld builds
/// a one-file module in a GOCACHE seeded only with the standard packages it imports (`go build fmt`), as Go 1.19 and
/// older ship them precompiled, so the hello package and the link are what is timed; Std is `go build -a std`; any
/// other workload is an import path built with -a. The user's GOCACHE and GOMODCACHE are never touched.
/// </summary>
internal sealed class GoBuildBench
{
    private const string HelloSource = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello, world\")\n}\n";

    private readonly IWorkstationSource _source;
    private readonly string _go;
    private readonly CancellationToken _cancel;

    public GoBuildBench(IWorkstationSource source, string go, CancellationToken cancel)
    {
        _source = source;
        _go = go;
        _cancel = cancel;
    }

    /// <summary>Called on the caller's thread about twice a second: (activity, status, percent complete).</summary>
    public Action<string, string, int>? Progress { get; init; }

    /// <summary>Called for each failed run with the command and go's last lines.</summary>
    public Action<string, string>? RunFailed { get; init; }

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Measures each workload in turn; the private directory goes when the enumeration ends, however it ends.</summary>
    public IEnumerable<GoBuildMeasurement> Run(IReadOnlyList<string> workloads, int count)
    {
        using var directory = PrivateDirectory.Create("gobuild");
        var version = GoVersion(directory.Path);
        var gaps = new List<WorkstationGap>();
        var cpu = _source.Cpu(gaps);
        foreach (var workload in workloads)
        {
            yield return Measure(directory.Path, workload, count, version, cpu);
        }
    }

    private GoBuildMeasurement Measure(string root, string workload, int count, string version, WorkstationCpu cpu)
    {
        var (arguments, folder, seed, cacheState) = Prepare(root, workload);
        var sampler = _source.Sampler(Array.Empty<string>());
        var times = new List<TimeSpan>();
        var failed = 0;
        var runCache = Path.Combine(root, "run-cache");
        using var recorder = new SampleRecorder(sampler, SampleInterval, "idle");
        recorder.TakeNow();
        for (var run = 1; run <= count; run++)
        {
            Reset(runCache, seed);
            recorder.Phase = "run " + run;
            var started = recorder.Elapsed;
            using (var child = ChildProcess.Start(Spec(root, arguments, folder, runCache)))
            {
                while (!child.WaitForExit(TimeSpan.FromMilliseconds(500), _cancel))
                {
                    if (recorder.Elapsed - started > RunTimeout)
                    {
                        child.Kill();
                        break;
                    }
                    Progress?.Invoke($"Measure-GoBuild {workload}", $"run {run} of {count}: go {string.Join(' ', arguments)}",
                        (int)(100.0 * (run - 1) / count));
                }
                recorder.Phase = "between";
                if (child.ExitCode == 0)
                {
                    times.Add(child.Elapsed);
                }
                else
                {
                    failed++;
                    RunFailed?.Invoke($"go {string.Join(' ', arguments)}", ProcessOutput.Tail(child.StandardError + child.StandardOutput));
                }
            }
        }
        recorder.Stop();
        Reset(runCache, null);
        var samples = recorder.Samples();
        var during = new SampleSummary(samples.Where(s => s.Phase.StartsWith("run ", StringComparison.Ordinal)).ToList());
        var idle = samples.FirstOrDefault(s => s.Phase == "idle");
        var median = times.Count == 0 ? TimeSpan.Zero : Foundation.Percentiles.Median(times);
        var (verdict, reason) = GoBuildJudge.Judge(workload, times.Count, median, during, cpu.BaseMHz, cpu.MaxMHz);
        return new GoBuildMeasurement
        {
            Workload = workload,
            Command = "go " + string.Join(' ', arguments),
            GoVersion = version,
            CacheState = cacheState,
            Runs = times.Count,
            Times = times.ToArray(),
            Min = times.Count == 0 ? TimeSpan.Zero : times.Min(),
            Median = median,
            Max = times.Count == 0 ? TimeSpan.Zero : times.Max(),
            FailedRuns = failed,
            BaseMHz = cpu.BaseMHz,
            MaxMHz = cpu.MaxMHz,
            CpuMHzMin = during.ClockMin,
            CpuMHzMedian = during.ClockMedian,
            CpuMHzMax = during.ClockMax,
            CpuMHzPerCore = during.ClockPerCpu(),
            ThrottleEvents = during.Delta(s => s.ThrottleEvents),
            TemperatureStartC = idle?.TemperatureC,
            TemperatureMaxC = during.TemperatureMax,
            CpuPressurePercent = during.PressurePercent(s => s.CpuPressureUs),
            MemoryPressurePercent = during.PressurePercent(s => s.MemoryPressureUs),
            IoPressurePercent = during.PressurePercent(s => s.IoPressureUs),
            SwapIns = during.Delta(s => s.SwapIns),
            Verdict = verdict,
            VerdictReason = reason,
            NotExposed = sampler.Gaps.Select(g => g.ToString()).ToArray(),
            Samples = samples,
        };
    }

    /// <summary>Arguments, working folder, the seeded cache to copy before each run (or null for an empty one), and what cold means.</summary>
    private (string[] Arguments, string Folder, string? Seed, string CacheState) Prepare(string root, string workload)
    {
        if (workload == GoBuildJudge.HelloWorld)
        {
            var hello = Directory.CreateDirectory(Path.Combine(root, "hello")).FullName;
            File.WriteAllText(Path.Combine(hello, "go.mod"), "module example.com/hello\n\ngo 1.16\n");
            File.WriteAllText(Path.Combine(hello, "main.go"), HelloSource);
            var seed = Path.Combine(root, "seed-cache");
            var warm = ChildProcess.Run(Spec(root, new[] { "build", "fmt" }, hello, seed), RunTimeout, _cancel);
            if (warm.ExitCode != 0)
            {
                RunFailed?.Invoke("go build fmt (seeding the cache)", ProcessOutput.Tail(warm.StandardError));
            }
            return (new[] { "build" }, hello, seed,
                "each run in a fresh GOCACHE holding only the standard packages hello-world imports (go build fmt, as Go 1.19 and older ship them precompiled): the hello package and the link are cold");
        }
        var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
        var target = workload == GoBuildJudge.Std ? "std" : workload;
        return (new[] { "build", "-a", target }, work, null, "each run in a fresh, empty GOCACHE; -a rebuilds every package");
    }

    private ProcessSpec Spec(string root, string[] arguments, string folder, string cache) =>
        new(_go, arguments) { Environment = GoSandbox.Environment(root, cache), WorkingDirectory = folder, OutputLimit = 1 << 20 };

    private string GoVersion(string root)
    {
        var result = ChildProcess.Run(Spec(root, new[] { "version" }, root, Path.Combine(root, "gocache")), TimeSpan.FromSeconds(60), _cancel);
        var text = result.StandardOutput.Trim();
        return text.StartsWith("go version ", StringComparison.Ordinal) ? text["go version ".Length..] : text;
    }

    private static void Reset(string cache, string? seed)
    {
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }
        if (seed is null)
        {
            return;
        }
        Directory.CreateDirectory(cache);
        foreach (var dir in Directory.EnumerateDirectories(seed, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(cache, Path.GetRelativePath(seed, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(seed, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(cache, Path.GetRelativePath(seed, file)));
        }
    }
}
