using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// The processor under a system root: /proc/cpuinfo (model, hypervisor flag), sys/devices/system/cpu (online CPUs,
/// topology, cpufreq in kHz, thermal_throttle counters), thermal zones and hwmon sensors (millidegrees). Read once for
/// Test-GoWorkstation and again at every sample, so each read is small.
/// </summary>
internal sealed partial class LinuxCpuReader
{
    // hwmon drivers that measure the CPU package or die (coretemp: Intel, k10temp/zenpower: AMD, cpu_thermal: ARM SoCs).
    private static readonly string[] CpuHwmon = { "coretemp", "k10temp", "zenpower", "cpu_thermal" };
    // thermal zone types that are the CPU (x86_pkg_temp from the Intel driver, SoC zones on ARM; acpitz only as a last resort).
    private static readonly string[] CpuZones = { "x86_pkg_temp", "cpu-thermal", "cpu_thermal", "soc_thermal", "cpu0-thermal", "acpitz" };

    private readonly string _root;
    private readonly int[] _cpus;
    private (string? Model, int? Cores, bool Hypervisor)? _info;

    public LinuxCpuReader(string root)
    {
        _root = root;
        _cpus = (Foundation.CpuSet.TryParseList(SysfsReader.Text(CpuPath("online"))) ?? Array.Empty<int>()).ToArray();
    }

    public IReadOnlyList<int> OnlineCpus => _cpus;

    public WorkstationCpu Read(List<WorkstationGap> gaps)
    {
        var info = Info;
        var mhz = CurrentMHz();
        var max = Khz(First("cpufreq/cpuinfo_max_freq"));
        // intel_pstate publishes base_frequency, amd-pstate amd_pstate_nominal_freq (both kHz, as cpufreq).
        var baseMHz = Khz(First("cpufreq/base_frequency")) ?? Khz(First("cpufreq/amd_pstate_nominal_freq")) ?? BaseFromModel(info.Model);
        var governors = Distinct("cpufreq/scaling_governor");
        if (mhz is null)
        {
            gaps.Add(Gap("CPU frequency (current, base, max), governor", FrequencyReason()));
        }
        var throttle = ThrottleEvents();
        if (throttle is null)
        {
            gaps.Add(Gap("CPU thermal throttle counters",
                "no sys/devices/system/cpu/cpu*/thermal_throttle (an Intel x86 feature of the therm_throt driver" +
                (Hypervisor() ? "; a virtual machine does not pass it through)" : ")")));
        }
        var (temperature, trip) = Temperature();
        if (temperature is null)
        {
            gaps.Add(Gap("CPU temperature", Hypervisor() ? "a virtual machine has no thermal zones or hwmon sensors of the host"
                : "no CPU sensor in sys/class/thermal or sys/class/hwmon (load coretemp or k10temp)"));
        }
        return new WorkstationCpu
        {
            Model = info.Model,
            Cores = Cores() ?? info.Cores,
            LogicalCpus = _cpus.Length,
            BaseMHz = baseMHz,
            MaxMHz = max,
            CurrentMHz = mhz,
            Driver = First("cpufreq/scaling_driver"),
            Governor = governors.Count == 0 ? null : string.Join(",", governors),
            EnergyPreference = Distinct("cpufreq/energy_performance_preference") is { Count: > 0 } epp ? string.Join(",", epp) : null,
            ThrottleEvents = throttle,
            TemperatureC = temperature,
            ThrottleTemperatureC = trip,
        };
    }

    /// <summary>scaling_cur_freq of each online CPU in MHz; null when cpufreq is not exposed.</summary>
    public double[]? CurrentMHz()
    {
        var values = new double[_cpus.Length];
        for (var i = 0; i < _cpus.Length; i++)
        {
            var khz = SysfsReader.Number(CpuPath($"cpu{_cpus[i]}", "cpufreq", "scaling_cur_freq"));
            if (khz is null)
            {
                return null;
            }
            values[i] = khz.Value / 1000.0;
        }
        return values.Length == 0 ? null : values;
    }

    /// <summary>
    /// Core throttle events once per physical core plus package events once per package (every logical CPU shows its
    /// core's and its package's counters: arch/x86/kernel/cpu/thermal.c); null when not exposed.
    /// </summary>
    public long? ThrottleEvents()
    {
        var cores = new Dictionary<(long, long), long>();
        var packages = new Dictionary<long, long>();
        var any = false;
        foreach (var cpu in _cpus)
        {
            var dir = CpuPath($"cpu{cpu}", "thermal_throttle");
            var package = SysfsReader.Number(CpuPath($"cpu{cpu}", "topology", "physical_package_id")) ?? 0;
            var core = SysfsReader.Number(CpuPath($"cpu{cpu}", "topology", "core_id")) ?? cpu;
            if (SysfsReader.Number(Path.Combine(dir, "core_throttle_count")) is { } coreCount)
            {
                cores[(package, core)] = coreCount;
                any = true;
            }
            if (SysfsReader.Number(Path.Combine(dir, "package_throttle_count")) is { } packageCount)
            {
                packages[package] = packageCount;
                any = true;
            }
        }
        return any ? cores.Values.Sum() + packages.Values.Sum() : null;
    }

    /// <summary>The hottest CPU sensor (°C) and its throttle point (passive trip, or the sensor's crit); nulls when none.</summary>
    public (double? Celsius, double? ThrottleAt) Temperature()
    {
        double? hottest = null, trip = null;
        void Consider(double celsius, double? at)
        {
            if (hottest is null || celsius > hottest)
            {
                hottest = celsius;
                trip = at;
            }
        }
        foreach (var dir in Entries(Path.Combine(_root, "sys", "class", "hwmon")))
        {
            if (Array.IndexOf(CpuHwmon, SysfsReader.Text(Path.Combine(dir, "name"))) < 0)
            {
                continue;
            }
            foreach (var input in Directory.EnumerateFiles(dir, "temp*_input"))
            {
                var prefix = input[..^"_input".Length];
                if (SysfsReader.Number(input) is { } milli)
                {
                    Consider(milli / 1000.0, SysfsReader.Number(prefix + "_crit") is { } crit ? crit / 1000.0 : null);
                }
            }
        }
        if (hottest is null)
        {
            foreach (var zone in Entries(Path.Combine(_root, "sys", "class", "thermal")).Where(z => Path.GetFileName(z).StartsWith("thermal_zone", StringComparison.Ordinal)))
            {
                if (Array.IndexOf(CpuZones, SysfsReader.Text(Path.Combine(zone, "type"))) >= 0 && SysfsReader.Number(Path.Combine(zone, "temp")) is { } milli)
                {
                    Consider(milli / 1000.0, TripPoint(zone));
                }
            }
        }
        return (hottest, trip);
    }

    /// <summary>True when /proc/cpuinfo's flags carry "hypervisor" (the CPUID bit every hypervisor sets).</summary>
    public bool Hypervisor() => Info.Hypervisor;

    private (string? Model, int? Cores, bool Hypervisor) Info => _info ??= CpuInfo();

    private static double? TripPoint(string zone)
    {
        double? critical = null;
        foreach (var type in Directory.EnumerateFiles(zone, "trip_point_*_type"))
        {
            var temp = SysfsReader.Number(type[..^"_type".Length] + "_temp");
            switch (SysfsReader.Text(type))
            {
                case "passive" when temp is > 0:
                    return temp / 1000.0;
                case "critical" or "hot" when temp is > 0:
                    critical ??= temp / 1000.0;
                    break;
            }
        }
        return critical;
    }

    private int? Cores()
    {
        var pairs = new HashSet<(long, long)>();
        foreach (var cpu in _cpus)
        {
            var core = SysfsReader.Number(CpuPath($"cpu{cpu}", "topology", "core_id"));
            var package = SysfsReader.Number(CpuPath($"cpu{cpu}", "topology", "physical_package_id"));
            if (core is null || package is null)
            {
                return null;
            }
            pairs.Add((package.Value, core.Value));
        }
        return pairs.Count == 0 ? null : pairs.Count;
    }

    private string FrequencyReason() =>
        Hypervisor() ? "no cpufreq in sys/devices/system/cpu/cpu*/: a virtual machine does not expose the host's frequency scaling"
            : "no cpufreq in sys/devices/system/cpu/cpu*/ (no frequency driver loaded: intel_pstate, amd-pstate or acpi-cpufreq)";

    private static double? Khz(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var khz) && khz > 0 ? khz / 1000.0 : null;

    /// <summary>Intel model names carry the base clock ("… @ 2.60GHz"); a fact of the name, used when base_frequency is absent.</summary>
    private static double? BaseFromModel(string? model) =>
        model is not null && BaseClock().Match(model) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000 : null;

    [GeneratedRegex(@"@\s*([0-9]+(?:\.[0-9]+)?)\s*GHz", RegexOptions.IgnoreCase)]
    private static partial Regex BaseClock();

    private string? First(string relative) =>
        _cpus.Length == 0 ? null : SysfsReader.Text(CpuPath($"cpu{_cpus[0]}", relative));

    private List<string> Distinct(string relative) =>
        _cpus.Select(c => SysfsReader.Text(CpuPath($"cpu{c}", relative))).OfType<string>().Where(v => v.Length > 0).Distinct().ToList();

    private string CpuPath(params string[] parts) => Path.Combine(_root, "sys", "devices", "system", "cpu", Path.Combine(parts));

    private static IEnumerable<string> Entries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir).OrderBy(d => d, StringComparer.Ordinal) : Enumerable.Empty<string>();

    private static WorkstationGap Gap(string item, string reason) => new() { Area = WorkstationArea.Cpu, Item = item, Reason = reason };

    private (string? Model, int? Cores, bool Hypervisor) CpuInfo()
    {
        var path = Path.Combine(_root, "proc", "cpuinfo");
        string? model = null;
        var cores = new HashSet<(string, string)>();
        var hypervisor = false;
        if (!File.Exists(path))
        {
            return (null, null, false);
        }
        string physical = "0";
        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name" or "Model" when model is null && value.Length > 0:
                    model = value;
                    break;
                case "physical id":
                    physical = value;
                    break;
                case "core id":
                    cores.Add((physical, value));
                    break;
                case "flags":
                    hypervisor |= (" " + value + " ").Contains(" hypervisor ", StringComparison.Ordinal);
                    break;
            }
        }
        return (model, cores.Count == 0 ? null : cores.Count, hypervisor);
    }
}
