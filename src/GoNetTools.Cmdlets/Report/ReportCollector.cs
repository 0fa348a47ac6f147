using System;
using System.Collections.Generic;
using GoNetTools.Report.Inputs;

namespace GoNetTools.Report;

/// <summary>
/// Gathers what the adapters made of the pipeline, in arrival order: sources (runs, captures), TIME_WAIT series,
/// findings. Keeps the bookkeeping adapters share: which connection records already came inside a result, which
/// source a capture file or a Watch-TcpState run belongs to.
/// </summary>
internal sealed class ReportCollector
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReportSource> _byKey = new(StringComparer.Ordinal);

    public List<ReportSource> Sources { get; } = new();
    public List<ReportSeries> TimeWait { get; } = new();
    public List<ReportFinding> Findings { get; } = new();
    /// <summary>HTTP/2 GOAWAY and RST_STREAM frames from captures, matched to their flows when the report is laid out.</summary>
    public List<Http2Frame> Frames { get; } = new();
    /// <summary>The Watch-TcpState series samples are being added to: its scope, the last Elapsed, its points.</summary>
    public (string Scope, TimeSpan Elapsed, List<(DateTime At, int Value)> Points)? OpenWatch { get; set; }
    /// <summary>Type names nobody took, for one warning each.</summary>
    public HashSet<string> Unsupported { get; } = new(StringComparer.Ordinal);

    /// <summary>Offers <paramref name="input"/> to each adapter; false when none took it.</summary>
    public bool Add(object input)
    {
        foreach (var adapter in ReportInputs.All)
        {
            if (adapter.TryAdd(input, this))
            {
                return true;
            }
        }
        Unsupported.Add(input.GetType().FullName ?? input.GetType().Name);
        return false;
    }

    /// <summary>
    /// Marks a connection record as shown; false when it was (a record that came inside its result and again with
    /// -PassThru). Keyed by value, not reference: copies that came back from a job are the same connection.
    /// </summary>
    public bool FirstTime(GoProxyConnection c) =>
        _seen.Add(string.Join('|', c.RemoteEndPoint, c.LocalEndPoint, c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            c.OpenedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The source for <paramref name="key"/>, made with <paramref name="create"/> the first time.</summary>
    public ReportSource SourceFor(string key, Func<ReportSource> create)
    {
        if (!_byKey.TryGetValue(key, out var source))
        {
            source = create();
            _byKey[key] = source;
            Sources.Add(source);
        }
        return source;
    }

    /// <summary>A new source (each stability run or download is its own, even for the same proxy).</summary>
    public ReportSource NewSource(string kind, string name)
    {
        var source = new ReportSource(kind, name);
        Sources.Add(source);
        return source;
    }

    public static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Utc ? t : t.ToUniversalTime();
}
