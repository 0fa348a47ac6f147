using System;
using System.Collections.Generic;
using System.Collections.Specialized;

namespace GoNetTools.Tcp;

/// <summary>Counts sockets by state, and remembers which 4-tuples it has seen (to count new connections).</summary>
internal sealed class TcpStateTally
{
    private readonly int[] _counts = new int[Enum.GetValues<TcpState>().Length];

    public int Total { get; private set; }

    public int this[TcpState state] => _counts[(int)state];

    public void Add(TcpConnection row)
    {
        _counts[(int)row.State]++;
        Total++;
    }

    /// <summary>Every state with a non-zero count, in enum order.</summary>
    public OrderedDictionary ByState()
    {
        var result = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var state in Enum.GetValues<TcpState>())
        {
            if (_counts[(int)state] > 0)
            {
                result[state.ToString()] = _counts[(int)state];
            }
        }
        return result;
    }

    public static string TupleKey(TcpConnection row) =>
        string.Concat(row.LocalAddress, "|", row.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "|",
            row.RemoteAddress, "|", row.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Counts connections toward a destination that were not there at the first look (Get-TcpPortBudget's observed rate).</summary>
internal sealed class NewConnectionCounter
{
    private readonly HashSet<string> _baseline = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _hasBaseline;

    public int NewConnections => _seen.Count;

    public void Observe(IEnumerable<TcpConnection> rows)
    {
        if (!_hasBaseline)
        {
            foreach (var row in rows)
            {
                _baseline.Add(TcpStateTally.TupleKey(row));
            }
            _hasBaseline = true;
            return;
        }
        foreach (var row in rows)
        {
            if (row.State is TcpState.Listen)
            {
                continue;
            }
            var key = TcpStateTally.TupleKey(row);
            if (!_baseline.Contains(key))
            {
                _seen.Add(key);
            }
        }
    }
}
