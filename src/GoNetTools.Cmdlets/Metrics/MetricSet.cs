using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.Metrics;


internal enum MetricType
{
    Counter,
    Gauge,
    Summary,
}

/// <summary>One sample: its suffix ("", "_total", "_count", "_sum"), labels in order, value.</summary>
internal sealed record MetricSample(string Suffix, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string Key => Suffix + "|" + string.Join(",", Labels.Select(l => l.Key + "=" + l.Value));
}

/// <summary>A metric family: name (a counter's without "_total"), type, help, samples by label set (the last value wins).</summary>
internal sealed class MetricFamily
{
    public MetricFamily(string name, MetricType type, string help)
    {
        Name = name;
        Type = type;
        Help = help;
    }

    public string Name { get; }
    public MetricType Type { get; }
    public string Help { get; }
    public Dictionary<string, MetricSample> Samples { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What the inputs said, as metric families in the order they were first seen. Labels come from bounded sets only
/// (state names, error codes, severities, ports capped by the adapter, the proxy URLs the user tested).
/// </summary>
internal sealed class MetricSet
{
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, object> _state = new();

    public List<MetricFamily> Families { get; } = new();
    public List<string> Warnings { get; } = new();

    public void Gauge(string name, string help, double value, params (string Key, string Value)[] labels) =>
        Add(name, MetricType.Gauge, help, "", value, labels);

    public void Counter(string name, string help, double value, params (string Key, string Value)[] labels) =>
        Add(name, MetricType.Counter, help, "_total", value, labels);

    /// <summary>A summary from percentiles someone else computed: quantile samples and, when known, _count and _sum.</summary>
    public void Summary(string name, string help, IEnumerable<(double Quantile, double Value)> quantiles, long? count, double? sum, params (string Key, string Value)[] labels)
    {
        foreach (var (q, v) in quantiles)
        {
            Add(name, MetricType.Summary, help, "", v, labels.Append(("quantile", q.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        }
        if (count is { } c)
        {
            Add(name, MetricType.Summary, help, "_count", c, labels);
        }
        if (sum is { } s)
        {
            Add(name, MetricType.Summary, help, "_sum", s, labels);
        }
    }

    /// <summary>Per-adapter state kept across pipeline objects (e.g. a port tally finished at the end).</summary>
    public T State<T>() where T : class, new()
    {
        if (!_state.TryGetValue(typeof(T), out var value))
        {
            value = new T();
            _state[typeof(T)] = value;
        }
        return (T)value;
    }

    public int SampleCount => Families.Sum(f => f.Samples.Count);

    private void Add(string name, MetricType type, string help, string suffix, double value, (string Key, string Value)[] labels)
    {
        if (!_families.TryGetValue(name, out var family))
        {
            family = new MetricFamily(name, type, help);
            _families[name] = family;
            Families.Add(family);
        }
        var sample = new MetricSample(suffix, labels.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)).ToList(), value);
        family.Samples[sample.Key] = sample;
    }
}
