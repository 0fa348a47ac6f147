using System;
using System.Collections.Generic;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// The labs this process started. Each is owned by the runspace that started it (Core/SessionRegistry, the one
/// ownership rule): Get-GoProxyLab shows a session its own labs, closing the session or removing the module from it
/// stops them, and the process exit stops every lab; should the process die without running this, the lab sees its
/// stdin close and exits. A stopped lab is forgotten.
/// </summary>
internal static class GoProxyLabRegistry
{
    private static readonly SessionRegistry<GoProxyLab> Labs = new(StopEach);

    public static int NextId() => Labs.NextId();

    public static void Add(GoProxyLab lab, Guid owner) => Labs.Add(lab, owner);

    /// <summary>The labs the owner started that have not been stopped (including ones that exited on their own).</summary>
    public static IReadOnlyList<GoProxyLab> OwnedBy(Guid owner) => Labs.OwnedBy(owner);

    /// <summary>Stops one lab and forgets it; returns its final counts (null when it could not answer).</summary>
    public static GoProxyLabStatistics? Stop(GoProxyLab lab)
    {
        Labs.Remove(lab);
        if (lab.State == GoProxyLabState.Stopped || lab.Process is null)
        {
            return null;
        }
        var final = lab.Process.Stop(TimeSpan.FromSeconds(5));
        lab.MarkStopped(final);
        lab.Process.Dispose();
        return final;
    }

    public static void StopOwnedBy(Guid owner) => Labs.StopOwnedBy(owner);

    private static void StopEach(IReadOnlyList<GoProxyLab> labs)
    {
        foreach (var lab in labs)
        {
            Stop(lab);
        }
    }
}
