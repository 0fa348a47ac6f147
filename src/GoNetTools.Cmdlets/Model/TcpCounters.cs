using System;
using System.Collections.Specialized;
using GoNetTools.Foundation;

namespace GoNetTools;

/// <summary>
/// One OS's raw TCP counters mapped to the fields <see cref="TcpStatistic"/> shows; null where the OS has no counter
/// that means the same. Each platform only maps its own names (Platform/Linux/LinuxTcpStatistic,
/// Windows/WindowsTcpStatistics, MacOS/MacTcpStatistic); <see cref="ToStatistic"/> is the one builder for all three.
/// </summary>
internal sealed record TcpCounters
{
    public long? ActiveOpens { get; init; }
    public long? PassiveOpens { get; init; }
    public long? AttemptFails { get; init; }
    public long? EstabResets { get; init; }
    public long? CurrEstab { get; init; }
    public long? InSegs { get; init; }
    public long? OutSegs { get; init; }
    public long? RetransSegs { get; init; }
    public long? InErrs { get; init; }
    public long? OutRsts { get; init; }
    public long? TimeWaitCount { get; init; }
    public long? TimeWaitEntries { get; init; }
    public long? TimeWaitRecycled { get; init; }
    public long? TimeWaitKilled { get; init; }
    public long? TimeWaitOverflow { get; init; }
    public long? PruneCalled { get; init; }
    public long? RcvPruned { get; init; }
    public long? ListenOverflows { get; init; }
    public long? ListenDrops { get; init; }
    public long? Timeouts { get; init; }
    public long? SynRetrans { get; init; }

    /// <summary>Data segments sent, retransmits excluded: the better denominator of RetransmitRate where the OS counts it.</summary>
    public long? OrigDataSent { get; init; }

    /// <summary>
    /// The TcpStatistic: the MIB-II fields 0 when absent, the others null; RetransmitRate is RetransSegs ÷ OrigDataSent,
    /// or ÷ OutSegs where the OS has no OrigDataSent.
    /// </summary>
    public TcpStatistic ToStatistic(OrderedDictionary raw, DateTime timestamp, string scope, TimeSpan? interval, OrderedDictionary? rates) => new()
    {
        Timestamp = timestamp,
        Interval = interval,
        Scope = scope,
        ActiveOpens = ActiveOpens ?? 0,
        PassiveOpens = PassiveOpens ?? 0,
        AttemptFails = AttemptFails ?? 0,
        EstabResets = EstabResets ?? 0,
        CurrEstab = CurrEstab ?? 0,
        InSegs = InSegs ?? 0,
        OutSegs = OutSegs ?? 0,
        RetransSegs = RetransSegs ?? 0,
        InErrs = InErrs ?? 0,
        OutRsts = OutRsts ?? 0,
        TimeWaitCount = TimeWaitCount,
        TimeWaitEntries = TimeWaitEntries,
        TimeWaitRecycled = TimeWaitRecycled,
        TimeWaitKilled = TimeWaitKilled,
        TimeWaitOverflow = TimeWaitOverflow,
        PruneCalled = PruneCalled,
        RcvPruned = RcvPruned,
        ListenOverflows = ListenOverflows,
        ListenDrops = ListenDrops,
        Timeouts = Timeouts,
        SynRetrans = SynRetrans,
        OrigDataSent = OrigDataSent,
        RetransmitRate = TcpStatisticMath.Ratio(RetransSegs ?? 0, OrigDataSent ?? OutSegs),
        Raw = raw,
        Rates = rates,
    };

    /// <summary>
    /// The RFC 1213 tcp group under its MIB names with a "Tcp" prefix (TcpActiveOpens … TcpOutRsts): how Linux's nstat
    /// names them and how the Windows back-end names the MIB_TCPSTATS members, so both start from this.
    /// </summary>
    public static TcpCounters FromMib2Names(OrderedDictionary raw) => new()
    {
        ActiveOpens = Get(raw, "TcpActiveOpens"),
        PassiveOpens = Get(raw, "TcpPassiveOpens"),
        AttemptFails = Get(raw, "TcpAttemptFails"),
        EstabResets = Get(raw, "TcpEstabResets"),
        CurrEstab = Get(raw, "TcpCurrEstab"),
        InSegs = Get(raw, "TcpInSegs"),
        OutSegs = Get(raw, "TcpOutSegs"),
        RetransSegs = Get(raw, "TcpRetransSegs"),
        InErrs = Get(raw, "TcpInErrs"),
        OutRsts = Get(raw, "TcpOutRsts"),
    };

    /// <summary>A raw counter by name; null when absent.</summary>
    public static long? Get(OrderedDictionary raw, string name) => raw[name] is long value ? value : null;
}
