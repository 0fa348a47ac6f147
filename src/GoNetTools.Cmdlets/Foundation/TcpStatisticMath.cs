using System;
using System.Collections.Specialized;

namespace GoNetTools.Foundation;

/// <summary>Deltas and rates between two counter readings, as nstat computes them.</summary>
internal static class TcpStatisticMath
{
    /// <summary>Counters that are gauges (a level now, not a running total): reported as the later value.</summary>
    private static readonly string[] Gauges =
    {
        "TcpCurrEstab", "TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn",
        "CurrentConnections", "MaxConnections", "RtoMin", "RtoMax", "RtoAlgorithm",
        // Windows and macOS: the table's row count and the TIME_WAIT/ESTABLISHED populations counted from it.
        "TcpNumConns", "TimeWaitCount",
    };

    public static double? Ratio(long numerator, long? denominator) =>
        denominator is > 0 ? (double)numerator / denominator.Value : null;

    public static bool IsGauge(string name) =>
        name.StartsWith("Sockstat", StringComparison.Ordinal) || Array.IndexOf(Gauges, name) >= 0;

    /// <summary>after − before for counters (gauges keep after), and per-second rates for every counter.</summary>
    public static (OrderedDictionary Delta, OrderedDictionary Rates) Delta(OrderedDictionary before, OrderedDictionary after, TimeSpan interval)
    {
        var delta = new OrderedDictionary(StringComparer.Ordinal);
        var rates = new OrderedDictionary(StringComparer.Ordinal);
        double seconds = Math.Max(interval.TotalSeconds, 1e-9);
        foreach (System.Collections.DictionaryEntry entry in after)
        {
            var name = (string)entry.Key;
            long now = (long)entry.Value!;
            if (IsGauge(name))
            {
                delta[name] = now;
                continue;
            }
            long then = before[name] is long b ? b : 0;
            long d = now - then;
            delta[name] = d;
            rates[name] = d / seconds;
        }
        return (delta, rates);
    }
}
