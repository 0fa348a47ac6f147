using System;
using System.Globalization;
using System.IO;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// /proc/sys/net/ipv4/ip_local_port_range ("32768	60999") and ip_local_reserved_ports ("8080,9000-9010"),
/// read under the system root; both belong to the network namespace.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxEphemeralPorts : IEphemeralPortSource
{
    /// <summary>TCP_TIMEWAIT_LEN (include/net/tcp.h): 60 s, a compile-time constant; tcp_fin_timeout does not change it.</summary>
    public const int TimeWaitSeconds = 60;

    private readonly string _root;

    public LinuxEphemeralPorts(string systemRoot) => _root = systemRoot;

    public EphemeralPortRange ReadRange()
    {
        var rangePath = Path.Combine(_root, "proc/sys/net/ipv4/ip_local_port_range");
        string text;
        try
        {
            text = File.ReadAllText(rangePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.ResourceUnavailable,
                $"Cannot read {rangePath}: {e.Message}", "Is /proc mounted?", e);
        }
        if (!TryParseRange(text, out int start, out int end))
        {
            throw new GoNetToolsException(ErrorIds.PortRangeUnavailable, FailureKind.InvalidData,
                $"{rangePath} holds '{text.Trim()}', not two port numbers.", "Check the file: it should read like '32768\t60999'.");
        }
        var reservedPath = Path.Combine(_root, "proc/sys/net/ipv4/ip_local_reserved_ports");
        int reserved = File.Exists(reservedPath) ? CountReserved(File.ReadAllText(reservedPath), start, end) : 0;
        return new EphemeralPortRange(start, end, reserved, rangePath);
    }

    public TimeWaitLength ReadTimeWait() => new(TimeWaitSeconds, "Linux TCP_TIMEWAIT_LEN (60 s, fixed)");

    public TimeWaitReuse ReadTimeWaitReuse()
    {
        int? Read(string name)
        {
            try
            {
                return int.TryParse(File.ReadAllText(Path.Combine(_root, "proc/sys/net/ipv4", name)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        var timestamps = Read("tcp_timestamps");
        return new TimeWaitReuse(Read("tcp_tw_reuse"), timestamps is null ? null : timestamps != 0, "/proc/sys/net/ipv4/tcp_tw_reuse");
    }

    public static bool TryParseRange(string text, out int start, out int end)
    {
        start = end = 0;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out end)
            && start <= end && end <= 65535;
    }

    /// <summary>Counts reserved ports that fall inside [start, end]; malformed items are skipped.</summary>
    public static int CountReserved(string text, int start, int end)
    {
        int count = 0;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = item.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low))
            {
                continue;
            }
            int high = low;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out high))
            {
                continue;
            }
            int from = Math.Max(low, start), to = Math.Min(high, end);
            if (to >= from)
            {
                count += to - from + 1;
            }
        }
        return count;
    }
}
