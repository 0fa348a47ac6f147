using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Threading;

namespace GoNetTools.GoProxy;

/// <summary>The four GOPROXY requests cmd/go makes per module, in its order.</summary>
internal enum GoProxyRequestKind
{
    List,
    Info,
    Mod,
    Zip,
}

/// <summary>One finished request: what it asked, how it ended, how long it took.</summary>
internal readonly record struct RequestRecord(GoProxyRequestKind Kind, int Status, long Bytes, TimeSpan Latency, string? Failure);

/// <summary>Thread-safe record of every request the workers finished, with the summaries the result needs.</summary>
internal sealed class RequestLog
{
    private readonly List<RequestRecord> _records = new();
    private int _successes;
    private int _failures;

    public int Successes => Volatile.Read(ref _successes);

    public int FailureCount => Volatile.Read(ref _failures);

    public int Count { get { lock (_records) { return _records.Count; } } }

    public void Add(RequestRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }
        if (record.Failure is null)
        {
            Interlocked.Increment(ref _successes);
        }
        else
        {
            Interlocked.Increment(ref _failures);
        }
    }

    public RequestRecord[] ToArray() { lock (_records) { return _records.ToArray(); } }

    /// <summary>Failure type → count, largest first.</summary>
    public static OrderedDictionary CountBy<T>(IEnumerable<T> items, Func<T, string?> key)
    {
        var result = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var group in items.Select(key).Where(k => k is not null).GroupBy(k => k!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            result[group.Key] = group.Count();
        }
        return result;
    }

    /// <summary>Nearest-rank percentile (p in 0..100) of a sorted list; zero for an empty list.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }
        int rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
