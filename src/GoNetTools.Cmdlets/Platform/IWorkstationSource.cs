using System.Collections.Generic;

namespace GoNetTools.Platform;

/// <summary>
/// The machine facts Test-GoWorkstation, Measure-GoBuild and Test-NetworkUnderLoad read: CPU, memory, the storage
/// behind a folder, NUMA placement of CPUs, fwupd's view, and samples over time. One implementation per OS, chosen in
/// <see cref="PlatformServices.Workstation"/>. What the OS does not expose is added to the gap list with the
/// reason, never guessed, never thrown.
/// </summary>
internal interface IWorkstationSource
{
    /// <summary>"/" for the live machine, else the fixture root read in its place.</summary>
    string Source { get; }

    /// <summary>True when reading the running machine (probes and go may run); false on a fixture root.</summary>
    bool IsLive { get; }

    /// <summary>Operating system and kernel.</summary>
    string OperatingSystem();

    /// <summary>"virtual machine (…)" when running under a hypervisor; null on bare metal or when unknown.</summary>
    string? Virtualization();

    WorkstationCpu Cpu(List<WorkstationGap> gaps);

    WorkstationMemory Memory(List<WorkstationGap> gaps);

    /// <summary>The device and free space behind <paramref name="path"/> (which need not exist yet).</summary>
    WorkstationStorage Storage(string role, string path, List<WorkstationGap> gaps);

    /// <summary>NUMA node of each CPU; empty when the machine has no NUMA information.</summary>
    IReadOnlyDictionary<int, int> CpuNodes();

    /// <summary>Devices with pending firmware updates (fwupd); null, with a gap, when fwupd's view is not available.</summary>
    IReadOnlyList<WorkstationFirmwareUpdate>? FirmwareUpdates(List<WorkstationGap> gaps);

    /// <summary>
    /// The go environment a recording holds in place of running `go env` (GOCACHE, GOMODCACHE, GOVERSION);
    /// null on the live machine, where go itself is asked.
    /// </summary>
    IReadOnlyDictionary<string, string>? RecordedGoEnvironment();

    /// <summary>A sampler of clocks, temperatures, pressure, swap, softnet and the counters of <paramref name="adapters"/>.</summary>
    IMachineSampler Sampler(IReadOnlyList<string> adapters);
}

/// <summary>Takes one <see cref="MachineSample"/>; <see cref="Gaps"/> says what it cannot see and why.</summary>
internal interface IMachineSampler
{
    MachineSample Sample(System.TimeSpan offset, string phase);

    IReadOnlyList<WorkstationGap> Gaps { get; }
}
