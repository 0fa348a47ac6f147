using System;
using System.Collections.Generic;
using GoNetTools.Foundation;

namespace GoNetTools.Report;

/// <summary>Who ended a connection, as the report colours it (stability records, capture flows).</summary>
internal enum ReportCloser
{
    Client,
    Server,
    Aborted,
    Open,
}

/// <summary>What a mark on the connection timeline stands for.</summary>
internal enum ReportMarkKind
{
    GoAway,
    RstStream,
}

/// <summary>One TCP connection on a timeline: connect to close (or to the end of what was seen).</summary>
internal sealed record ReportConnection(int Id, DateTime Start, DateTime End, ReportCloser Closer, string Protocol, int Requests, string Detail)
{
    public TimeSpan? ConnectTime { get; init; }
    public TimeSpan? TlsHandshake { get; init; }
    /// <summary>"client → server" of a captured flow, to place frames from the same capture on it.</summary>
    public string? Endpoints { get; init; }
}

/// <summary>
/// A GOAWAY or RST_STREAM on a connection. <see cref="AtKnown"/> false: the input counted the frame without its time,
/// so the mark sits at the connection's end and says so.
/// </summary>
internal sealed record ReportMark(int ConnectionId, DateTime At, ReportMarkKind Kind, string Detail, bool AtKnown);

/// <summary>A TIME_WAIT population over time. Measured series have one point per sample read; derived ones are computed from closes.</summary>
internal sealed record ReportSeries(string Name, string Side, bool Measured, IReadOnlyList<(DateTime At, int Value)> Points);

/// <summary>
/// A TIME_WAIT count the input measured itself (Test-GoProxyStability's socket-table reads): Point "peak" has no time
/// (drawn across the run), "end" sits at the run's end. Side "client" holds our ports, "proxy" the proxy's sockets.
/// </summary>
internal sealed record ReportTimeWaitCount(string Side, string Point, int Value);

/// <summary>A table of rows under named columns (a -Compare run's variants side by side).</summary>
internal sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A finding with its evidence, from whichever input had one.</summary>
internal sealed record ReportFinding(string Source, string Severity, string Code, string Message, IReadOnlyList<KeyValuePair<string, string>> Evidence,
    string Recommendation, string Rule);

/// <summary>
/// One input the report shows on its own: a stability run, a go mod download, a capture. Parameters are what the run
/// was asked to do; Figures are its headline numbers; Connections and Marks feed its timeline; Percentiles its latency table.
/// </summary>
internal sealed class ReportSource
{
    public ReportSource(string kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public string Kind { get; }
    public string Name { get; }
    /// <summary>"Stable"/"Degraded"/"Unstable", "Succeeded"/"Failed", or null.</summary>
    public string? Verdict { get; set; }
    public List<KeyValuePair<string, string>> Parameters { get; } = new();
    public List<KeyValuePair<string, string>> Figures { get; } = new();
    public List<ReportConnection> Connections { get; } = new();
    public List<ReportMark> Marks { get; } = new();
    /// <summary>Request latency percentiles the input computed ("p50" → 12 ms).</summary>
    public List<KeyValuePair<string, TimeSpan>> Percentiles { get; } = new();
    /// <summary>Measured TIME_WAIT series this source carries itself.</summary>
    public List<ReportSeries> TimeWait { get; } = new();
    /// <summary>Why a chart of this source is missing or approximate, for the reader.</summary>
    public List<string> Notes { get; } = new();
    /// <summary>TIME_WAIT counts the input measured (peak and end, per side).</summary>
    public List<ReportTimeWaitCount> TimeWaitCounts { get; } = new();
    /// <summary>Tables beyond parameters and figures.</summary>
    public List<ReportTable> Tables { get; } = new();
    /// <summary>How long TIME_WAIT lasts for a TIME_WAIT series derived from closes; null: derive none.</summary>
    public int? TimeWaitSeconds { get; set; }

    public void AddParameters(params (string Key, string Value)[] pairs) => Add(Parameters, pairs);

    public void AddFigures(params (string Key, string Value)[] pairs) => Add(Figures, pairs);

    private static void Add(List<KeyValuePair<string, string>> list, (string Key, string Value)[] pairs)
    {
        foreach (var (key, value) in pairs)
        {
            list.Add(new(key, value));
        }
    }
}
