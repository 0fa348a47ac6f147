using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace GoNetTools.GoProxy;

/// <summary>
/// The labs this process started, each owned by one PowerShell runspace (its InstanceId), so Get-GoProxyLab
/// shows a session its own labs and closing a session stops them. Every lab is also stopped when the
/// process exits; should the process die without running this, the lab sees its stdin close and exits.
/// </summary>
internal static class GoProxyLabRegistry
{
    private static readonly object Gate = new();
    private static readonly List<(GoProxyLab Lab, Guid Owner)> Labs = new();
    private static int _nextId;
    private static int _exitHooked;

    public static int NextId() => Interlocked.Increment(ref _nextId);

    public static void Add(GoProxyLab lab, Guid owner)
    {
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        }
        lock (Gate)
        {
            Labs.Add((lab, owner));
        }
    }

    /// <summary>The labs the owner started that have not been stopped (including ones that exited on their own).</summary>
    public static IReadOnlyList<GoProxyLab> OwnedBy(Guid owner)
    {
        lock (Gate)
        {
            return Labs.Where(l => l.Owner == owner).Select(l => l.Lab).ToList();
        }
    }

    /// <summary>Stops one lab and forgets it; returns its final counts (null when it could not answer).</summary>
    public static GoProxyLabStatistics? Stop(GoProxyLab lab)
    {
        lock (Gate)
        {
            Labs.RemoveAll(l => ReferenceEquals(l.Lab, lab));
        }
        if (lab.State == GoProxyLabState.Stopped || lab.Process is null)
        {
            return null;
        }
        var final = lab.Process.Stop(TimeSpan.FromSeconds(5));
        lab.MarkStopped(final);
        lab.Process.Dispose();
        return final;
    }

    public static void StopOwnedBy(Guid owner)
    {
        foreach (var lab in OwnedBy(owner))
        {
            Stop(lab);
        }
    }

    public static void StopAll()
    {
        List<GoProxyLab> all;
        lock (Gate)
        {
            all = Labs.Select(l => l.Lab).ToList();
        }
        foreach (var lab in all)
        {
            Stop(lab);
        }
    }
}
