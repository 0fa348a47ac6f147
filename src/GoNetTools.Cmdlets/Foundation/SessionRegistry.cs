using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace GoNetTools.Foundation;

/// <summary>
/// The one ownership rule for everything GoNetTools leaves running between commands (packet captures, lab
/// GOPROXYs): a session belongs to the PowerShell runspace that started it (its InstanceId; Guid.Empty outside a
/// runspace). Closing that runspace or removing the module from it stops the sessions it owns; the process exit stops
/// every session. Another runspace's Remove-Module never stops them, so a thread job, a Pester run or a hosted
/// remoting session cannot end a capture or a lab someone else in the same process is using.
/// </summary>
internal interface ISessionRegistry
{
    void StopOwnedBy(Guid owner);

    void StopAll();
}

/// <summary>Every session registry of the process, so cleanup by owner and at exit reaches each kind.</summary>
internal static class SessionRegistries
{
    private static readonly object Gate = new();
    private static readonly List<ISessionRegistry> Registries = new();
    private static int _exitHooked;

    public static void Register(ISessionRegistry registry)
    {
        lock (Gate)
        {
            Registries.Add(registry);
        }
    }

    /// <summary>The owner's runspace closed, or the module was removed from it.</summary>
    public static void StopOwnedBy(Guid owner)
    {
        foreach (var registry in Snapshot())
        {
            registry.StopOwnedBy(owner);
        }
    }

    public static void StopAll()
    {
        foreach (var registry in Snapshot())
        {
            registry.StopAll();
        }
    }

    /// <summary>Installed with the first session: whatever is still running is stopped when the process exits.</summary>
    internal static void HookProcessExit()
    {
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        }
    }

    private static ISessionRegistry[] Snapshot()
    {
        lock (Gate)
        {
            return Registries.ToArray();
        }
    }
}

/// <summary>
/// Sessions of one kind with their owners (see <see cref="ISessionRegistry"/> for the rule). How a batch of sessions
/// is stopped is the kind's own (a capture flushes its files, a lab reports its final counts).
/// </summary>
internal sealed class SessionRegistry<TSession> : ISessionRegistry where TSession : class
{
    private readonly object _gate = new();
    private readonly List<(TSession Session, Guid Owner)> _sessions = new();
    private readonly Action<IReadOnlyList<TSession>> _stop;
    private int _lastId;

    /// <param name="stop">Stops these sessions (it may <see cref="Remove"/> them, or keep them listed as stopped).</param>
    public SessionRegistry(Action<IReadOnlyList<TSession>> stop)
    {
        _stop = stop;
        SessionRegistries.Register(this);
    }

    /// <summary>The next session id (1, 2, …) of this kind.</summary>
    public int NextId() => Interlocked.Increment(ref _lastId);

    public void Add(TSession session, Guid owner)
    {
        SessionRegistries.HookProcessExit();
        lock (_gate)
        {
            _sessions.Add((session, owner));
        }
    }

    public void Remove(TSession session)
    {
        lock (_gate)
        {
            _sessions.RemoveAll(s => ReferenceEquals(s.Session, session));
        }
    }

    /// <summary>Every session of the process, oldest first.</summary>
    public IReadOnlyList<TSession> All()
    {
        lock (_gate)
        {
            return _sessions.Select(s => s.Session).ToList();
        }
    }

    /// <summary>The sessions this owner started, oldest first.</summary>
    public IReadOnlyList<TSession> OwnedBy(Guid owner)
    {
        lock (_gate)
        {
            return _sessions.Where(s => s.Owner == owner).Select(s => s.Session).ToList();
        }
    }

    public void StopOwnedBy(Guid owner) => _stop(OwnedBy(owner));

    public void StopAll() => _stop(All());
}
