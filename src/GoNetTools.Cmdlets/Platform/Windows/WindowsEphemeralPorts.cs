using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Windows: `netsh int ipv4 show dynamicport tcp` (Start Port / Number of Ports), `netsh int ipv4 show
/// excludedportrange protocol=tcp`, and HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\TcpTimedWaitDelay.
/// The text parsers are pure so recorded outputs test them on any OS.
/// </summary>
internal sealed partial class WindowsEphemeralPorts : IEphemeralPortSource
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
        int excluded = CountExcluded(ParseExcludedRanges(Netsh("int ipv4 show excludedportrange protocol=tcp")), start, end);
        return new EphemeralPortRange(start, end, excluded, "netsh int ipv4 show dynamicport tcp");
    }

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

    /// <summary>Parses "Start Port      : 49152" and "Number of Ports : 16384" (English netsh output).</summary>
    public static bool TryParseDynamicPort(string text, out int start, out int count)
    {
        start = count = 0;
        var s = StartPort().Match(text);
        var n = NumberOfPorts().Match(text);
        return s.Success && n.Success
            && int.TryParse(s.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && int.TryParse(n.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && count > 0 && start + count - 1 <= 65535;
    }

    /// <summary>The "Start Port    End Port" table of excludedportrange: one pair per line.</summary>
    public static List<(int Start, int End)> ParseExcludedRanges(string text)
    {
        var ranges = new List<(int, int)>();
        foreach (Match m in RangeLine().Matches(text))
        {
            ranges.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        }
        return ranges;
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

    private static string Netsh(string arguments)
    {
        var start = new ProcessStartInfo("netsh", arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.ResourceUnavailable, "Cannot start netsh.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(10_000);
        return output;
    }

    [GeneratedRegex(@"Start Port\s*:\s*(\d+)")]
    private static partial Regex StartPort();

    [GeneratedRegex(@"Number of Ports\s*:\s*(\d+)")]
    private static partial Regex NumberOfPorts();

    [GeneratedRegex(@"^\s*(\d+)\s+(\d+)\s*\*?\s*$", RegexOptions.Multiline)]
    private static partial Regex RangeLine();
}
