using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace GoNetTools.GoProxy;

/// <summary>
/// The requests on the wire now (admitted, not yet answered or failed) and the last time the proxy showed life
/// (response headers or body bytes). A stall is requests waiting with no sign of life for <see cref="StallAfter"/>
/// on a connection the proxy accepted: cmd/go itself sets no response timeout (http.DefaultTransport: only the
/// 10 s TLS handshake limit), so a frozen proxy hangs `go mod download` for good; we judge it after 10 s.
/// </summary>
internal sealed class RequestTracker
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<long, long> _waiting = new();
    private long _nextId;
    private long _lastProgress = Stopwatch.GetTimestamp();
    private long _longestStallTicks;
    private int _stalledRequests;

    /// <summary>A request goes on the wire; the id is handed back to <see cref="End"/>.</summary>
    public long Begin()
    {
        long id = Interlocked.Increment(ref _nextId);
        _waiting[id] = Stopwatch.GetTimestamp();
        return id;
    }

    public void End(long id) => _waiting.TryRemove(id, out _);

    /// <summary>How long request <paramref name="id"/> has waited (zero when it is no longer on the wire).</summary>
    public TimeSpan Waited(long id) => _waiting.TryGetValue(id, out var started) ? Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;

    /// <summary>Response headers or body bytes arrived.</summary>
    public void Progress() => Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());

    public int Waiting => _waiting.Count;

    public TimeSpan SinceProgress => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastProgress));

    /// <summary>The longest wait without a sign of life that reached <see cref="StallAfter"/>, or null.</summary>
    public TimeSpan? LongestStall => _longestStallTicks == 0 ? null : TimeSpan.FromTicks(Interlocked.Read(ref _longestStallTicks));

    /// <summary>Requests waiting when the longest stall was seen.</summary>
    public int StalledRequests => Volatile.Read(ref _stalledRequests);

    /// <summary>
    /// A TLS handshake the proxy accepted over TCP but did not finish in Go's 10 s: with no sign of life for as long,
    /// that is a stall as well (a frozen proxy), and it ends the run. True when it counts as one.
    /// </summary>
    public bool NoteHandshakeTimeout(TimeSpan handshake)
    {
        var silent = SinceProgress;
        if (silent < StallAfter)
        {
            return false;
        }
        var stall = silent < handshake ? silent : handshake;
        if (stall.Ticks > Interlocked.Read(ref _longestStallTicks))
        {
            Interlocked.Exchange(ref _longestStallTicks, stall.Ticks);
            Volatile.Write(ref _stalledRequests, Math.Max(1, _waiting.Count));
        }
        Volatile.Write(ref _handshakeStall, 1);
        return true;
    }

    /// <summary>True once a handshake timeout counted as a stall.</summary>
    public bool HandshakeStalled => Volatile.Read(ref _handshakeStall) != 0;

    private int _handshakeStall;

    /// <summary>
    /// Called on the engine's tick: true when requests have waited <see cref="StallAfter"/> with no sign of life while
    /// the proxy holds a connection open (a refused connect is a dead proxy, not a stall). Records the stall.
    /// </summary>
    public bool CheckStall(bool proxyHoldsAConnection)
    {
        if (!proxyHoldsAConnection || _waiting.IsEmpty)
        {
            return false;
        }
        var silent = SinceProgress;
        var oldest = Stopwatch.GetElapsedTime(_waiting.Values.DefaultIfEmpty(Stopwatch.GetTimestamp()).Min());
        var stall = silent < oldest ? silent : oldest;
        if (stall < StallAfter)
        {
            return false;
        }
        if (stall.Ticks > Interlocked.Read(ref _longestStallTicks))
        {
            Interlocked.Exchange(ref _longestStallTicks, stall.Ticks);
            Volatile.Write(ref _stalledRequests, _waiting.Count);
        }
        return true;
    }
}
