using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Threading;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>The GOPROXY requests cmd/go makes: list or latest to resolve a query, then info, mod, zip.</summary>
internal enum GoProxyRequestKind
{
    List,
    Latest,
    Info,
    Mod,
    Zip,
}

/// <summary>One finished request: what it asked, how it ended, how long it took.</summary>
internal readonly record struct RequestRecord(GoProxyRequestKind Kind, int Status, long Bytes, TimeSpan Latency, string? Failure);

/// <summary>What the result needs from all requests: counts, bytes, and a latency sample sorted for percentiles.</summary>
internal sealed record RequestSummary(int Count, int Failures, long Bytes, OrderedDictionary ByKind, OrderedDictionary ByStatus,
    OrderedDictionary ByFailure, IReadOnlyList<TimeSpan> SortedLatencies, OrderedDictionary RetriesByCause, OrderedDictionary TlsCauses,
    int FellThrough, string[] ModulesNotFound)
{
    /// <summary>Requests that got an HTTP response (any status).</summary>
    public int Responses => ByStatus.Values.Cast<int>().Sum();

    public int Retries => RetriesByCause.Values.Cast<int>().Sum();
}

/// <summary>
/// Thread-safe tally of every request the workers finished. Counts are exact; latencies of successful requests
/// are kept in a uniform reservoir of <see cref="LatencySamples"/> (Vitter's algorithm R), so a long run at
/// thousands of requests per second keeps a bounded memory and unbiased percentiles.
/// </summary>
internal sealed class RequestLog
{
    public const int LatencySamples = 200_000;

    private readonly object _lock = new();
    private readonly Dictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byFailure = new(StringComparer.Ordinal);
    private readonly List<TimeSpan> _latencies = new();
    private readonly Dictionary<string, int> _retries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tlsCauses = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _notFound = new(StringComparer.Ordinal);
    private int _fellThrough;
    private int _responses;
    private readonly Random _random = new(1);
    private long _successesSeen;
    private int _count;
    private int _failures;
    private long _bytes;

    public int Count { get { lock (_lock) { return _count; } } }

    public int FailureCount { get { lock (_lock) { return _failures; } } }

    public int Successes { get { lock (_lock) { return _count - _failures; } } }

    /// <summary>Requests that got an HTTP response (any status).</summary>
    public int Responses { get { lock (_lock) { return _responses; } } }

    /// <summary>TLS failure cause → count (a copy).</summary>
    public Dictionary<string, int> TlsCauseCounts() { lock (_lock) { return new Dictionary<string, int>(_tlsCauses, StringComparer.Ordinal); } }

    /// <summary>Called (outside the lock) after a failed request is counted: the engine re-checks the run at once.</summary>
    public Action? Failed { get; set; }

    public void Add(RequestRecord record)
    {
        AddCounted(record);
        if (record.Failure is not null)
        {
            Failed?.Invoke();
        }
    }

    private void AddCounted(RequestRecord record)
    {
        lock (_lock)
        {
            _count++;
            _bytes += record.Bytes;
            Increment(_byKind, record.Kind.ToString().ToLowerInvariant());
            if (record.Status > 0)
            {
                _responses++;
                Increment(_byStatus, record.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (record.Failure is not null)
            {
                _failures++;
                Increment(_byFailure, record.Failure);
                return;
            }
            _successesSeen++;
            if (_latencies.Count < LatencySamples)
            {
                _latencies.Add(record.Latency);
            }
            else if (_random.NextInt64(_successesSeen) is var slot && slot < LatencySamples)
            {
                _latencies[(int)slot] = record.Latency;
            }
        }
    }

    /// <summary>A request sent again because the server never processed it (Go's transport does the same).</summary>
    public void Retry(string cause, int count = 1)
    {
        if (count <= 0)
        {
            return;
        }
        lock (_lock)
        {
            _retries[cause] = (_retries.TryGetValue(cause, out var n) ? n : 0) + count;
        }
    }

    /// <summary>A failed TLS handshake's cause (one per failed request).</summary>
    public void TlsCause(string cause)
    {
        lock (_lock)
        {
            Increment(_tlsCauses, cause);
        }
    }

    /// <summary>A 404/410 (or, after '|', any error) that went on to the next GOPROXY entry.</summary>
    public void FellThrough() => Interlocked.Increment(ref _fellThrough);

    /// <summary>A module version no GOPROXY entry had.</summary>
    public void ModuleNotFound(string module)
    {
        lock (_lock)
        {
            _notFound.Add(module);
        }
    }

    /// <summary>Failure type → count (a copy).</summary>
    public Dictionary<string, int> FailureCounts() { lock (_lock) { return new Dictionary<string, int>(_byFailure, StringComparer.Ordinal); } }

    public RequestSummary Summary()
    {
        lock (_lock)
        {
            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            return new RequestSummary(_count, _failures, _bytes, Ordered(_byKind), Ordered(_byStatus), Ordered(_byFailure), sorted,
                Ordered(_retries), Ordered(_tlsCauses), Volatile.Read(ref _fellThrough), _notFound.ToArray());
        }
    }

    private static void Increment(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    /// <summary>Largest first, ties by name.</summary>
    private static OrderedDictionary Ordered(Dictionary<string, int> counts)
    {
        var result = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }
        return result;
    }

    /// <summary>Nearest-rank percentile (p in 0..100) of a sorted list; zero for an empty list.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p) => Foundation.Percentiles.NearestRank(sorted, p);
}
