using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using GoNetTools.Foundation;

namespace GoNetTools.Workstation.NetworkLoad;

/// <summary>
/// Every probe sent, by sequence number: when it left and, once answered, its round trip. Probes are sent from one
/// thread and answered on another, so the log is locked. A probe without an answer after the timeout is lost.
/// </summary>
internal sealed class ProbeLog
{
    private readonly Stopwatch _clock;
    private readonly List<(TimeSpan Sent, TimeSpan? Rtt)> _probes = new();

    public ProbeLog(Stopwatch clock) => _clock = clock;

    /// <summary>Records a probe leaving now; returns its sequence number.</summary>
    public int Sent()
    {
        lock (_probes)
        {
            _probes.Add((_clock.Elapsed, null));
            return _probes.Count - 1;
        }
    }

    /// <summary>Records the answer to <paramref name="sequence"/> (duplicates and unknown numbers are ignored).</summary>
    public void Answered(int sequence, TimeSpan rtt)
    {
        lock (_probes)
        {
            if (sequence >= 0 && sequence < _probes.Count && _probes[sequence].Rtt is null)
            {
                _probes[sequence] = (_probes[sequence].Sent, rtt);
            }
        }
    }

    /// <summary>
    /// Probes sent in [from, to): how many, how many lost (no answer within <paramref name="timeout"/>), and the round
    /// trips of the others (ms).
    /// </summary>
    public (int Sent, int Lost, List<double> RttMs) Window(TimeSpan from, TimeSpan to, TimeSpan timeout)
    {
        lock (_probes)
        {
            var inWindow = _probes.Where(p => p.Sent >= from && p.Sent < to).ToList();
            var answered = inWindow.Where(p => p.Rtt is { } rtt && rtt <= timeout).Select(p => p.Rtt!.Value.TotalMilliseconds).ToList();
            return (inWindow.Count, inWindow.Count - answered.Count, answered);
        }
    }

    public static double Percentile(IReadOnlyList<double> values, double p) => Foundation.Percentiles.NearestRank(values.OrderBy(v => v).ToList(), p);
}

/// <summary>A probe that sends on a schedule until stopped.</summary>
internal interface IProbe : IDisposable
{
    /// <summary>"UDP echo 127.0.0.1:40123 every 10 ms".</summary>
    string Description { get; }

    /// <summary>Sends one probe every interval until <paramref name="stop"/> is cancelled; runs on its own thread.</summary>
    void Run(ProbeLog log, TimeSpan interval, CancellationToken stop);
}
