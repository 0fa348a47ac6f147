using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Workstation;

namespace GoNetTools.Commands;

/// <summary>
/// Measure-GoBuild: cold go builds in throwaway caches (never the user's GOCACHE or GOMODCACHE), N runs per
/// workload with min/median/max, the go version, and what the machine did meanwhile (clock per core against base and
/// max, throttle counters, temperature, PSI, swap-ins), judged against the rules of thumb.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "GoBuild")]
[OutputType(typeof(GoBuildMeasurement))]
public sealed class MeasureGoBuildCommand : WorkstationCommandBase
{
    /// <summary>HelloWorld (default), Std, or both.</summary>
    [Parameter(Position = 0)]
    public GoBuildWorkload[]? Workload { get; set; }

    /// <summary>Import paths or patterns to build with -a (net/http, cmd/go), after the workloads. Tab completes the standard library's packages.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GoPackageCompleter))]
    public string[]? Package { get; set; }

    /// <summary>Runs per workload.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Count { get; set; } = 5;

    /// <summary>How often the machine is sampled while building (default 250 ms).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (SampleInterval < TimeSpan.FromMilliseconds(50) || SampleInterval > TimeSpan.FromMinutes(1))
        {
            ThrowTerminating(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument, SampleInterval,
                $"-SampleInterval {SampleInterval} is out of range.", "Give an interval from 50 ms to 1 minute, such as '250ms'.");
        }
        foreach (var package in Package ?? Array.Empty<string>())
        {
            CheckPackage(package);
        }
        var workloads = new List<string>();
        if (Workload is null && Package is null)
        {
            workloads.Add(GoBuildJudge.HelloWorld);
        }
        workloads.AddRange((Workload ?? Array.Empty<GoBuildWorkload>()).Distinct().Select(w => w == GoBuildWorkload.Std ? GoBuildJudge.Std : GoBuildJudge.HelloWorld));
        workloads.AddRange(Package ?? Array.Empty<string>());
        var go = FindGo();
        using var progress = StartProgress("Measure-GoBuild", "Preparing throwaway caches");
        var bench = new GoBuildBench(Source, go, CancelToken)
        {
            SampleInterval = SampleInterval,
            Progress = (activity, status, percent) => progress.Show(status, percent, activity: activity),
            RunFailed = (command, tail) => WriteError(ErrorIds.GoBuildFailed, ErrorCategory.InvalidResult, command,
                $"'{command}' failed: {tail}", "The other runs are still measured; run the same command by hand to see what go needs."),
        };
        Run(go, () =>
        {
            foreach (var measurement in bench.Run(workloads, Count))
            {
                WriteObject(measurement);
            }
        });
    }
}
