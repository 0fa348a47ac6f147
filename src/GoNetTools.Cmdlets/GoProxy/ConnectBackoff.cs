using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// Backoff for connection attempts, per proxy host: after a refused, reset or failed attempt, the next one to that
/// host waits its turn (one at a time) and the backoff (exponential with jitter); one that succeeds ends it.
/// </summary>
internal sealed class ConnectBackoff
{
    private readonly Func<int, TimeSpan> _delay;
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public ConnectBackoff(Func<int, TimeSpan> delay) => _delay = delay;

    /// <summary>Failed attempts in a row on the host doing best of those tried (0 when none was tried).</summary>
    public int FailuresInARow => _hosts.IsEmpty ? 0 : _hosts.Values.Min(h => Volatile.Read(ref h.Failures));

    /// <summary>The key of a proxy URL's host: "host:port", the same for the connect and for the GOPROXY list walk.</summary>
    public static string Key(Uri url) => $"{url.IdnHost}:{url.Port}";

    /// <summary>True while <paramref name="host"/> is failing and its next attempt must still wait.</summary>
    public bool IsBackingOff(string host) =>
        _hosts.TryGetValue(host, out var h) && Volatile.Read(ref h.Failures) > 0 && Interlocked.Read(ref h.NotBefore) > Stopwatch.GetTimestamp();

    /// <summary>
    /// Waits for this attempt's turn. While attempts to the host are failing: one at a time, each after the backoff.
    /// The ticket must be resolved (Succeeded/Failed); resolving twice is harmless.
    /// </summary>
    public async ValueTask<Ticket> EnterAsync(string host, CancellationToken cancel)
    {
        var state = _hosts.GetOrAdd(host, _ => new HostState());
        if (Volatile.Read(ref state.Failures) == 0)
        {
            return new Ticket(this, state, serialized: false);
        }
        await state.Turn.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            long wait = Interlocked.Read(ref state.NotBefore) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancel).ConfigureAwait(false);
            }
        }
        catch
        {
            state.Turn.Release();
            throw;
        }
        return new Ticket(this, state, serialized: true);
    }

    private void Resolve(HostState state, bool serialized, bool succeeded)
    {
        if (succeeded)
        {
            Interlocked.Exchange(ref state.Failures, 0);
        }
        else
        {
            int failures = Interlocked.Increment(ref state.Failures);
            Interlocked.Exchange(ref state.NotBefore, Stopwatch.GetTimestamp() + (long)(_delay(failures).TotalSeconds * Stopwatch.Frequency));
        }
        if (serialized)
        {
            state.Turn.Release();
        }
    }

    internal sealed class HostState
    {
        public int Failures;
        public long NotBefore;
        public readonly SemaphoreSlim Turn = new(1, 1);
    }

    /// <summary>One connection attempt's place in the backoff.</summary>
    internal sealed class Ticket
    {
        private readonly ConnectBackoff _owner;
        private readonly HostState _state;
        private readonly bool _serialized;
        private int _resolved;

        public Ticket(ConnectBackoff owner, HostState state, bool serialized)
        {
            _owner = owner;
            _state = state;
            _serialized = serialized;
        }

        public void Succeeded() => Resolve(true);

        public void Failed() => Resolve(false);

        private void Resolve(bool ok)
        {
            if (Interlocked.Exchange(ref _resolved, 1) == 0)
            {
                _owner.Resolve(_state, _serialized, ok);
            }
        }
    }
}
