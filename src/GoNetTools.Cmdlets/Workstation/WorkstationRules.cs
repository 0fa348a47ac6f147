using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;

namespace GoNetTools.Workstation;

/// <summary>Everything the workstation rules look at.</summary>
internal sealed class WorkstationFacts
{
    public WorkstationCpu Cpu { get; init; } = new();
    public WorkstationMemory Memory { get; init; } = new();
    public IReadOnlyList<WorkstationStorage> Storage { get; init; } = Array.Empty<WorkstationStorage>();
    public IReadOnlyList<NicAdapter> Adapters { get; init; } = Array.Empty<NicAdapter>();
    public IReadOnlyList<NicInterrupt> Interrupts { get; init; } = Array.Empty<NicInterrupt>();
    public IReadOnlyList<WorkstationFirmwareUpdate> FirmwareUpdates { get; init; } = Array.Empty<WorkstationFirmwareUpdate>();
    public GoBuildMeasurement? Build { get; init; }
}

/// <summary>
/// The rules of thumb Go developers bring, each named as such with the measured figure: CPU and memory here, storage,
/// NIC, firmware and build in <c>WorkstationRules.Devices.cs</c>. Pure: facts in, findings out, most severe first.
/// </summary>
internal static partial class WorkstationRules
{
    /// <summary>16 GB installed shows as about 15.3–15.6 GiB of MemTotal (firmware and kernel reservations): below 15 GiB is less than 16 GB.</summary>
    public const long MemoryFloorBytes = 15L << 30;
    /// <summary>At rest, a CPU this close to its throttle temperature throttles as soon as a build starts.</summary>
    public const double HotMarginC = 10;

    public static WorkstationFinding[] Evaluate(WorkstationFacts facts)
    {
        var findings = new List<WorkstationFinding>();
        findings.AddRange(Cpu(facts.Cpu));
        findings.AddRange(Memory(facts.Memory));
        findings.AddRange(Storage(facts.Storage));
        findings.AddRange(Nics(facts.Adapters, facts.Interrupts, facts.Cpu.LogicalCpus));
        findings.AddRange(Firmware(facts.FirmwareUpdates));
        findings.AddRange(Build(facts.Build));
        return findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Area).ToArray();
    }

    public static WorkstationVerdict Verdict(IEnumerable<WorkstationFinding> findings) =>
        findings.Any(f => f.Severity == FindingSeverity.Error) ? WorkstationVerdict.Unfit
        : findings.Any(f => f.Severity == FindingSeverity.Warning) ? WorkstationVerdict.Limited
        : WorkstationVerdict.Fit;

    private static IEnumerable<WorkstationFinding> Cpu(WorkstationCpu cpu)
    {
        if (cpu.ThrottleEvents is > 0 and var events)
        {
            yield return new WorkstationFinding
            {
                Area = WorkstationArea.Cpu, Code = "ThrottlingSeen", Severity = FindingSeverity.Warning, Subject = cpu.Model ?? "CPU",
                Message = $"The CPU has been thermally throttled {events} times since boot.",
                Evidence = Evidence(("ThrottleEvents", events), ("TemperatureC", cpu.TemperatureC), ("ThrottleTemperatureC", cpu.ThrottleTemperatureC), ("MaxMHz", cpu.MaxMHz)),
                Rule = "Rule of thumb: a hot laptop loses clock under sustained compile load (heat → lower clock), and a cold go build over 1.5 s means a power limit or thermal throttling. " +
                       "The counters are the kernel's thermal_throttle core and package counts: each counts a time the CPU crossed its thermal limit.",
                Recommendation = "Check cooling (vents, fan, heatsink paste) and the power profile; Measure-GoBuild shows the clock and throttle events during real builds.",
            };
        }
        if (cpu.TemperatureC is { } temperature && cpu.ThrottleTemperatureC is { } trip && temperature >= trip - HotMarginC)
        {
            yield return new WorkstationFinding
            {
                Area = WorkstationArea.Cpu, Code = "RunningHot", Severity = FindingSeverity.Warning, Subject = cpu.Model ?? "CPU",
                Message = $"The CPU is at {temperature:0} °C, {trip - temperature:0} °C under the {trip:0} °C at which it throttles.",
                Evidence = Evidence(("TemperatureC", temperature), ("ThrottleTemperatureC", trip)),
                Rule = $"GoNetTools' threshold: within {HotMarginC:0} °C of the throttle point (the sensor's passive trip point or crit), a compile's first seconds of full load push the CPU over it.",
                Recommendation = "Let the machine cool and check its cooling; a laptop builds faster on a hard surface and on AC power.",
            };
        }
        if (PowerSaving(cpu) is { } saving)
        {
            yield return saving;
        }
    }

    /// <summary>
    /// acpi-cpufreq's powersave governor pins the lowest clock; intel_pstate/amd-pstate's powersave is their normal
    /// dynamic mode and only an energy preference of "power" holds the clock back.
    /// </summary>
    private static WorkstationFinding? PowerSaving(WorkstationCpu cpu)
    {
        var pinned = cpu.Driver == "acpi-cpufreq" && cpu.Governor?.Split(',').Contains("powersave") == true;
        var epp = cpu.EnergyPreference?.Split(',').Contains("power") == true;
        if (!pinned && !epp)
        {
            return null;
        }
        return new WorkstationFinding
        {
            Area = WorkstationArea.Cpu, Code = "PowerSavingProfile", Severity = FindingSeverity.Warning, Subject = cpu.Model ?? "CPU",
            Message = pinned ? "The acpi-cpufreq powersave governor holds every core at its lowest clock."
                : "The energy/performance preference is 'power': the CPU favours saving energy over clock.",
            Evidence = Evidence(("Driver", cpu.Driver), ("Governor", cpu.Governor), ("EnergyPreference", cpu.EnergyPreference)),
            Rule = "Rule of thumb: Go compiles lean on single-core speed, so a profile that caps the clock lengthens every build.",
            Recommendation = pinned ? "Use the schedutil or performance governor (cpupower frequency-set -g schedutil)."
                : "Set energy_performance_preference to balance_performance or performance (powerprofilesctl set balanced).",
        };
    }

    private static IEnumerable<WorkstationFinding> Memory(WorkstationMemory memory)
    {
        if (memory.TotalBytes is > 0 and < MemoryFloorBytes)
        {
            yield return new WorkstationFinding
            {
                Area = WorkstationArea.Memory, Code = "MemoryBelowFloor", Severity = FindingSeverity.Warning, Subject = "memory",
                Message = $"{Gib(memory.TotalBytes)} of memory is below the 16 GB floor.",
                Evidence = Evidence(("TotalBytes", memory.TotalBytes), ("SwapTotalBytes", memory.SwapTotalBytes), ("SwapInsSinceBoot", memory.SwapInsSinceBoot),
                    ("PressureSomePercent", memory.PressureSomePercent)),
                Rule = "Rule of thumb: 16 GB RAM is the floor for Go work; metadata commands such as go list -deps swap on 8 GB. " +
                       "MemTotal reads a little under the installed size, so the check is 15 GiB.",
                Recommendation = "Add memory, or keep editors and browsers small while building; Test-GoWorkstation's go list probe shows whether it swaps.",
            };
        }
        if (memory.ProbeSwapIns is > 0 and var pages)
        {
            yield return new WorkstationFinding
            {
                Area = WorkstationArea.Memory, Code = "SwapDuringGoList", Severity = FindingSeverity.Warning, Subject = memory.ProbeCommand ?? "go list",
                Message = $"{memory.ProbeCommand} swapped in {pages} pages.",
                Evidence = Evidence(("ProbeSwapIns", pages), ("ProbeDuration", memory.ProbeDuration), ("TotalBytes", memory.TotalBytes)),
                Rule = "Rule of thumb: metadata commands such as go list -deps swap on 8 GB; pages swapped in while one runs (pswpin) mean memory is short for Go work now.",
                Recommendation = "Close what holds memory, add memory, or move swap to a fast disk.",
            };
        }
    }

    internal static OrderedDictionary Evidence(params (string Name, object? Value)[] items)
    {
        var evidence = new OrderedDictionary();
        foreach (var (name, value) in items)
        {
            if (value is not null)
            {
                evidence[name] = value;
            }
        }
        return evidence;
    }

    internal static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";
}
