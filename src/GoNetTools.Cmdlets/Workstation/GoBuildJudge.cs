using System;
using System.Globalization;

namespace GoNetTools.Workstation;

/// <summary>
/// The verdict of Measure-GoBuild against the rules of thumb users bring: a cold `go build` of a hello-world under
/// 0.8 s is good, over 1.5 s means a power limit or thermal throttling; Go compiles lean on single-core speed. The
/// reason names the rule as a rule of thumb, gives the measured figure, and says what the machine data shows.
/// </summary>
internal static class GoBuildJudge
{
    public const string HelloWorld = "HelloWorld";
    public const string Std = "Std";
    public static readonly TimeSpan GoodBelow = TimeSpan.FromSeconds(0.8);
    public static readonly TimeSpan SlowAbove = TimeSpan.FromSeconds(1.5);

    public static (GoBuildVerdict Verdict, string Reason) Judge(string workload, int runs, TimeSpan median, SampleSummary during,
        double? baseMHz, double? maxMHz)
    {
        var seconds = median.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        if (runs == 0)
        {
            return (GoBuildVerdict.NotJudged, "No run finished successfully, so there is no figure to judge.");
        }
        var machine = Machine(during, baseMHz, maxMHz);
        if (workload != HelloWorld)
        {
            return (GoBuildVerdict.NotJudged,
                $"No rule of thumb covers this build: compare its median ({seconds} s over {runs} runs) with other machines on the same Go version. " +
                "Rule of thumb: Go compiles lean on single-core speed, so the clock held under load matters more than the core count." + machine);
        }
        var verdict = median < GoodBelow ? GoBuildVerdict.Good : median <= SlowAbove ? GoBuildVerdict.Fair : GoBuildVerdict.Slow;
        var judged = verdict switch
        {
            GoBuildVerdict.Good => "good",
            GoBuildVerdict.Fair => "between good and slow",
            _ => "slow",
        };
        return (verdict,
            $"Rule of thumb: a cold go build of a hello-world under 0.8 s is good, over 1.5 s means a power limit or thermal throttling. " +
            $"Measured median {seconds} s over {runs} runs: {judged}." + machine);
    }

    /// <summary>What the samples say about the clock and throttling during the runs, or that they are not exposed.</summary>
    private static string Machine(SampleSummary during, double? baseMHz, double? maxMHz)
    {
        var text = "";
        var throttled = during.Delta(s => s.ThrottleEvents);
        if (throttled is > 0)
        {
            text += $" The CPU throttled {throttled} times during the runs.";
        }
        if (during.ClockMedian is { } median)
        {
            text += baseMHz is { } b && median < b
                ? $" The clock ran at a median of {median:0} MHz, under the base clock {b:0} MHz."
                : maxMHz is { } m ? $" The clock ran at a median of {median:0} MHz of its {m:0} MHz maximum."
                : $" The clock ran at a median of {median:0} MHz.";
        }
        else
        {
            text += " Clock frequency is not exposed here, so whether the CPU held its clock cannot be told from this machine's data.";
        }
        if (throttled is null)
        {
            text += " Throttle counters are not exposed here.";
        }
        return text;
    }
}
