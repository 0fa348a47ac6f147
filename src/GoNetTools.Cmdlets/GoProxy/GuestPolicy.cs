using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// How politely a run talks to the proxy. Every run: connect attempts back off exponentially with jitter after a
/// refused, reset or failed connection (and go one at a time until one succeeds), and a 429/503 Retry-After holds
/// every request until then. A proxy that is not on this host (a guest visit) also gets a request budget and a
/// rate cap (token bucket: bursts at cmd/go's own pace, a capped average), and 429/503 without Retry-After back off
/// too. Loopback, a local address and labs run without budget and cap unless asked; -Stress lifts them.
/// </summary>
internal sealed class GuestPolicy
{
    /// <summary>Default request budget against a proxy not on this host: one cold download of a mid-size project (100–200 module versions).</summary>
    public const int DefaultMaxRequests = 600;
    /// <summary>Default average request rate against a proxy not on this host, per second.</summary>
    public const double DefaultMaxRequestRate = 10;
    /// <summary>Requests that may go at once before the rate cap applies: a small module set's round at cmd/go's pace.</summary>
    public const int Burst = 60;
    /// <summary>Backoff after the first failure, doubling per failure in a row up to <see cref="BackoffCap"/>; half fixed, half random.</summary>
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(250), BackoffCap = TimeSpan.FromSeconds(8);
    /// <summary>A Retry-After longer than this ends the run: the proxy asked us to stay away.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly int? _maxRequests;
    private readonly double? _rate;
    private readonly bool _backOffOnBusy;
    private readonly object _lock = new();
    private readonly Random _random = new();
    private int _sent;
    private double _tokens;
    private long _tokensAt = Stopwatch.GetTimestamp();
    private long _notBefore;
    private int _busyInARow;

    public GuestPolicy(int? maxRequests, double? maxRequestRate, bool backOffOnBusy)
    {
        _maxRequests = maxRequests;
        _rate = maxRequestRate;
        _backOffOnBusy = backOffOnBusy;
        _tokens = Burst;
        Connects = new ConnectBackoff(Backoff);
    }

    /// <summary>The connect backoff, per proxy host.</summary>
    public ConnectBackoff Connects { get; }

    public int? MaxRequests => _maxRequests;

    public double? MaxRequestRate => _rate;

    /// <summary>Requests admitted to the wire (retries included).</summary>
    public int Sent => Volatile.Read(ref _sent);

    public bool BudgetSpent => _maxRequests is { } max && Volatile.Read(ref _sent) >= max;

    /// <summary>Connection attempts that failed in a row, on the proxy host doing best (so a '|' list with one live entry is not dead).</summary>
    public int ConnectFailuresInARow => Connects.FailuresInARow;

    /// <summary>Set when a Retry-After longer than <see cref="MaxRetryAfter"/> arrived.</summary>
    public TimeSpan? RetryAfterTooLong { get; private set; }

    /// <summary>Waits for the rate cap and any Retry-After; false when the budget is spent (nothing more may be sent).</summary>
    public async ValueTask<bool> AdmitRequestAsync(CancellationToken cancel)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (_maxRequests is { } max && _sent >= max)
                {
                    return false;
                }
                long now = Stopwatch.GetTimestamp();
                wait = _notBefore > now ? Stopwatch.GetElapsedTime(now, _notBefore) : TimeSpan.Zero;
                if (wait == TimeSpan.Zero && _rate is { } rate)
                {
                    _tokens = Math.Min(Burst, _tokens + Stopwatch.GetElapsedTime(_tokensAt, now).TotalSeconds * rate);
                    _tokensAt = now;
                    if (_tokens < 1)
                    {
                        wait = TimeSpan.FromSeconds((1 - _tokens) / rate);
                    }
                }
                if (wait == TimeSpan.Zero)
                {
                    if (_rate is not null)
                    {
                        _tokens -= 1;
                    }
                    _sent++;
                    return true;
                }
            }
            await Task.Delay(wait, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>A 429 or 503 answer: hold every request until Retry-After, or back off when a guest got none.</summary>
    public void ServerBusy(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            TimeSpan hold;
            if (retryAfter is { } after)
            {
                if (after > MaxRetryAfter)
                {
                    RetryAfterTooLong = after;
                }
                hold = after > MaxRetryAfter ? MaxRetryAfter : after;
            }
            else if (_backOffOnBusy)
            {
                hold = Backoff(++_busyInARow);
            }
            else
            {
                return;
            }
            long until = Stopwatch.GetTimestamp() + (long)(hold.TotalSeconds * Stopwatch.Frequency);
            _notBefore = Math.Max(_notBefore, until);
        }
    }

    /// <summary>An answer that was not 429/503: the busy streak is over.</summary>
    public void ServerAnswered()
    {
        if (Volatile.Read(ref _busyInARow) != 0)
        {
            lock (_lock)
            {
                _busyInARow = 0;
            }
        }
    }

    /// <summary>Equal jitter: half of min(cap, base·2^(n−1)) fixed, the other half random.</summary>
    internal TimeSpan Backoff(int failuresInARow)
    {
        double full = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(failuresInARow, 30) - 1));
        double jitter;
        lock (_random)
        {
            jitter = _random.NextDouble();
        }
        return TimeSpan.FromMilliseconds(full / 2 + jitter * full / 2);
    }
}
