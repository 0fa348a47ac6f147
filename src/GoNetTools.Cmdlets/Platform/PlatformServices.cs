using System;
using GoNetTools.Platform.Linux;
using GoNetTools.Platform.MacOS;
using GoNetTools.Platform.Windows;
using GoNetTools.Foundation;

namespace GoNetTools.Platform;

/// <summary>The operating systems GoNetTools has back-ends for.</summary>
internal enum HostOS
{
    Unsupported,
    Linux,
    Windows,
    MacOS,
}

/// <summary>
/// Chooses the back-end for each capability from the running OS (decided once per process). Linux back-ends
/// read /proc and /sys under a system root: "/" normally, a fixture tree in tests (see
/// GoNetToolsCmdlet.SystemRoot for how a test points a runspace at one).
/// </summary>
internal static class PlatformServices
{
    /// <summary>The OS, decided once.</summary>
    public static readonly HostOS Current =
        OperatingSystem.IsLinux() ? HostOS.Linux :
        OperatingSystem.IsWindows() ? HostOS.Windows :
        OperatingSystem.IsMacOS() ? HostOS.MacOS : HostOS.Unsupported;

    /// <summary>This OS's name in the tunable catalog (tunables.json "os"), the same as its ITunableStore.Os.</summary>
    public static string CatalogOs => Current switch
    {
        HostOS.Windows => "windows",
        HostOS.MacOS => "macos",
        _ => "linux",
    };

    /// <summary>NIC interrupts with a CPU affinity to read (Linux /proc/irq): what irqbalance can undo.</summary>
    public static bool HasInterruptAffinity => Current == HostOS.Linux;

    /// <summary>The loopback adapter's name as capture sees it ("lo", macOS "lo0").</summary>
    public static string LoopbackAdapter => Current == HostOS.MacOS ? "lo0" : "lo";

    /// <summary>Where tuning configuration and backups live by default: ProgramData on Windows, else the system root.</summary>
    public static string DefaultConfigRoot(string systemRoot) =>
        Current == HostOS.Windows ? Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData) : systemRoot;

    /// <summary>The TCP socket table and counters for this OS.</summary>
    public static ITcpStateSource TcpState(string systemRoot) => Current switch
    {
        HostOS.Linux when OperatingSystem.IsLinux() => new LinuxTcpStateSource(systemRoot),
        HostOS.Windows when OperatingSystem.IsWindows() => new WindowsTcpStateSource(),
        HostOS.MacOS when OperatingSystem.IsMacOS() => new MacTcpStateSource(),
        _ => throw Unsupported("TCP connection state"),
    };

    /// <summary>The ephemeral port range and TIME_WAIT length for this OS (Get-TcpPortBudget, Test-GoProxyStability).</summary>
    public static IEphemeralPortSource EphemeralPorts(string systemRoot) => Current switch
    {
        HostOS.Linux when OperatingSystem.IsLinux() => new LinuxEphemeralPorts(systemRoot),
        HostOS.Windows => new WindowsEphemeralPorts(),
        HostOS.MacOS => new MacEphemeralPorts(),
        _ => throw Unsupported("The ephemeral port range"),
    };

    /// <summary>Network adapters, queues and interrupts for this OS.</summary>
    public static INicSource Nic(string systemRoot) => Current switch
    {
        HostOS.Linux when OperatingSystem.IsLinux() => new LinuxNicSource(systemRoot),
        HostOS.Windows when OperatingSystem.IsWindows() => new WindowsNicSource(),
        HostOS.MacOS when OperatingSystem.IsMacOS() => new MacNicSource(),
        _ => throw Unsupported("Network adapter information"),
    };

    /// <summary>CPU, memory, storage, NUMA, firmware and samplers for the workstation checks on this OS.</summary>
    public static IWorkstationSource Workstation(string systemRoot, System.Threading.CancellationToken cancel) => Current switch
    {
        HostOS.Linux when OperatingSystem.IsLinux() => new LinuxWorkstationSource(systemRoot, cancel),
        HostOS.Windows when OperatingSystem.IsWindows() => new WindowsWorkstationSource(),
        HostOS.MacOS when OperatingSystem.IsMacOS() => new MacWorkstationSource(new ProcessCommandRunner()),
        _ => throw Unsupported("The workstation checks"),
    };

    /// <summary>
    /// Kernel/OS tunables. Live values come from <paramref name="systemRoot"/> (Linux /proc/sys); the boot
    /// configuration, our persisted file and backups from <paramref name="configRoot"/>.
    /// </summary>
    public static ITunableStore TunableStore(string systemRoot, string configRoot) => Current switch
    {
        HostOS.Linux when OperatingSystem.IsLinux() => new LinuxTunableStore(systemRoot, configRoot),
        HostOS.Windows when OperatingSystem.IsWindows() => new WindowsTunableStore(new WindowsRegistryValues(), new ProcessCommandRunner(), configRoot),
        HostOS.MacOS => new MacTunableStore(new ProcessCommandRunner(), configRoot),
        _ => throw Unsupported("TCP tunables"),
    };

    /// <summary>The error every capability gives on an OS without a back-end.</summary>
    public static GoNetToolsException Unsupported(string feature) =>
        new(ErrorIds.PlatformNotSupported, FailureKind.NotImplemented,
            $"{feature} is not available on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.",
            "GoNetTools supports Linux, Windows and macOS.");
}
