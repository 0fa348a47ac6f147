using System;
using System.Globalization;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// macOS: `sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last net.inet.tcp.msl`
/// (defaults 49152, 65535, 15000 ms). TIME_WAIT = 2 × MSL = 30 s by default.
/// </summary>
internal sealed class MacEphemeralPorts : IEphemeralPortSource
{
    public EphemeralPortRange ReadRange()
    {
        var values = ParseSysctlValues(Sysctl());
        if (values is null)
        {
            throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.InvalidData,
                "sysctl gave no net.inet.ip.portrange.first/last.", "Run 'sysctl net.inet.ip.portrange' yourself to see why.");
        }
        return new EphemeralPortRange(values.Value.First, values.Value.Last, 0, "sysctl net.inet.ip.portrange.first/last");
    }

    /// <summary>No tcp_tw_reuse switch on this OS.</summary>
    public TimeWaitReuse ReadTimeWaitReuse() => new(null, null, "macOS has no tcp_tw_reuse");

    public TimeWaitLength ReadTimeWait()
    {
        var values = ParseSysctlValues(Sysctl());
        int msl = values?.MslMilliseconds ?? 15000;
        return FromMsl(msl);
    }

    public static TimeWaitLength FromMsl(int mslMilliseconds) =>
        new(Math.Max(1, 2 * mslMilliseconds / 1000), $"2 × net.inet.tcp.msl ({mslMilliseconds} ms)");

    /// <summary>Three lines of `sysctl -n first last msl`; null when malformed.</summary>
    public static (int First, int Last, int MslMilliseconds)? ParseSysctlValues(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 3
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
            || !int.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out int msl)
            || first > last || last > 65535)
        {
            return null;
        }
        return (first, last, msl);
    }

    private static string Sysctl()
    {
        if (!OperatingSystem.IsMacOS())
        {
            throw PlatformServices.Unsupported("The macOS port range");
        }
        return Run();
    }

    [SupportedOSPlatform("macos")]
    private static string Run()
    {
        var result = ProcessCommandRunner.RunTool("sysctl", "-n net.inet.ip.portrange.first net.inet.ip.portrange.last net.inet.tcp.msl", TimeSpan.FromSeconds(10), out var problem);
        return result?.StandardOutput
            ?? throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.ResourceUnavailable, "Cannot start sysctl: " + problem);
    }
}
