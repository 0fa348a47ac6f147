using System;
using System.Collections.Generic;
using GoNetTools.Foundation;
using GoNetTools.Platform;

namespace GoNetTools.Tcp;

/// <summary>
/// One read of the socket table, kept to the rows a predicate accepts (usually a <see cref="TcpConnectionFilter"/>)
/// and tallied by state. The one sampler behind Watch-TcpState, Get-TcpPortBudget and Test-GoProxyStability's
/// TIME_WAIT monitor: owners are never resolved (a walk of every process's open files per tick would cost more
/// than the read itself).
/// </summary>
internal sealed class SocketTableSampler
{
    private readonly ITcpStateSource _source;
    private readonly TcpStateQuery _query;

    /// <param name="source">The platform's socket table.</param>
    /// <param name="states">Only these states (the back-end filters them early, in the kernel on Linux); all when null.</param>
    public SocketTableSampler(ITcpStateSource source, IReadOnlyCollection<TcpState>? states = null)
    {
        _source = source;
        _query = new TcpStateQuery { States = states, ResolveOwners = false };
    }

    /// <summary>What the table covers ("host", or a network namespace).</summary>
    public string Scope => _source.Scope;

    /// <summary>The rows of one read that <paramref name="keep"/> accepts, as the back-end yields them.</summary>
    public IEnumerable<TcpConnection> Rows(Func<TcpConnection, bool> keep, Action<string> warn)
    {
        foreach (var row in _source.GetConnections(_query, warn))
        {
            if (keep(row))
            {
                yield return row;
            }
        }
    }

    /// <summary>Reads the table once and tallies the rows <paramref name="keep"/> accepts; adds them to <paramref name="kept"/> when given.</summary>
    public TcpStateTally Tally(Func<TcpConnection, bool> keep, Action<string> warn, List<TcpConnection>? kept = null)
    {
        var tally = new TcpStateTally();
        foreach (var row in Rows(keep, warn))
        {
            tally.Add(row);
            kept?.Add(row);
        }
        return tally;
    }
}
