using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows: `netsh int ipv4 show dynamicport tcp` (Start Port / Number of Ports), `netsh int ipv4 show
/// excludedportrange protocol=tcp`, and HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\TcpTimedWaitDelay.
/// The text parsers are pure so recorded outputs test them on any OS.
/// </summary>
internal sealed class WindowsEphemeralPorts : IEphemeralPortSource
{
    /// <summary>What the arithmetic uses when TcpTimedWaitDelay is absent: Windows' documented default (2 × MSL = 120 s).</summary>
    public const int DefaultTimeWaitSeconds = 120;

    public EphemeralPortRange ReadRange()
    {
        if (!OperatingSystem.IsWindows())
        {
            throw PlatformServices.Unsupported("The Windows dynamic port range");
        }
        var dynamic = Netsh("int ipv4 show dynamicport tcp");
        if (!TryParseDynamicPort(dynamic, out int start, out int count))
        {
            throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.InvalidData,
                "netsh int ipv4 show dynamicport tcp gave no Start Port / Number of Ports.", "Run the command yourself to see why.");
        }
        int end = start + count - 1;
        var ranges = NetshParser.ParseExcludedRanges(Netsh("int ipv4 show excludedportrange protocol=tcp"));
        int excluded = CountExcluded(ranges.Select(r => (r.Start, r.End)), start, end);
        return new EphemeralPortRange(start, end, excluded, "netsh int ipv4 show dynamicport tcp");
    }

    /// <summary>No tcp_tw_reuse switch on this OS.</summary>
    public TimeWaitReuse ReadTimeWaitReuse() => new(null, null, "Windows reuses TIME_WAIT ports on its own terms");

    public TimeWaitLength ReadTimeWait()
    {
        if (!OperatingSystem.IsWindows())
        {
            throw PlatformServices.Unsupported("TcpTimedWaitDelay");
        }
        return FromRegistryValue(ReadRegistry());
    }

    public static TimeWaitLength FromRegistryValue(object? value) => value is int seconds and > 0
        ? new TimeWaitLength(seconds, $"TcpTimedWaitDelay = {seconds} s (registry)")
        : new TimeWaitLength(DefaultTimeWaitSeconds, $"TcpTimedWaitDelay not set (OS default, {DefaultTimeWaitSeconds} s assumed)");

    [SupportedOSPlatform("windows")]
    private static object? ReadRegistry()
    {
        using var key = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(@"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters");
        return key?.GetValue("TcpTimedWaitDelay");
    }

    /// <summary>The dynamic range from netsh's output (NetshParser), refused when it runs past port 65535.</summary>
    public static bool TryParseDynamicPort(string text, out int start, out int count)
    {
        (start, count) = NetshParser.ParseDynamicPort(text) ?? (0, 0);
        return count > 0 && start > 0 && start + count - 1 <= 65535;
    }

    public static int CountExcluded(IEnumerable<(int Start, int End)> ranges, int start, int end)
    {
        var ports = new HashSet<int>();
        foreach (var (low, high) in ranges)
        {
            for (int p = Math.Max(low, start); p <= Math.Min(high, end); p++)
            {
                ports.Add(p);
            }
        }
        return ports.Count;
    }

    private static string Netsh(string arguments) => new ProcessCommandRunner().Run("netsh", arguments).Output;
}
