using System;
using GoNetTools.Foundation;
using GoNetTools.Platform;

namespace GoNetTools.Tcp;

/// <summary>
/// The arithmetic behind TcpPortBudget. One (source address, destination address, destination port) tuple has
/// UsablePorts local ports; a connection the client closes first holds its port for the TIME_WAIT time, so the
/// tuple sustains FreePorts ÷ TimeWaitSeconds new connections per second. Above that rate every port is in
/// use after FreePorts ÷ rate seconds.
/// </summary>
internal static class PortBudgetCalculator
{
    /// <summary>
    /// The budget now. <c>reuseAfterSeconds</c>: when connect() may take a TIME_WAIT port (Linux tcp_tw_reuse with
    /// timestamps), a port is free again after about this long rather than after the whole TIME_WAIT, so the
    /// sustainable rate is free ports ÷ this.
    /// </summary>
    public static TcpPortBudget Compute(EphemeralPortRange range, TimeWaitLength timeWait, string scope, string destination,
        TcpStateTally now, double sampleSeconds, double? observedPerSecond, double? reuseAfterSeconds = null)
    {
        int free = Math.Max(0, range.Usable - now.Total);
        double holdSeconds = reuseAfterSeconds ?? timeWait.Seconds;
        double sustainable = holdSeconds > 0 ? free / holdSeconds : free;
        return new TcpPortBudget
        {
            Scope = scope,
            Destination = destination,
            RangeStart = range.Start,
            RangeEnd = range.End,
            RangeSize = range.Size,
            ReservedPorts = range.Reserved,
            UsablePorts = range.Usable,
            RangeSource = range.Source,
            TimeWaitSeconds = timeWait.Seconds,
            TimeWaitSource = reuseAfterSeconds is { } reuse ? $"{timeWait.Source}; tcp_tw_reuse: a TIME_WAIT port can be taken again after about {reuse:0.#} s" : timeWait.Source,
            InUse = now.Total,
            TimeWait = now[TcpState.TimeWait],
            InUseByState = now.ByState(),
            FreePorts = free,
            SampleSeconds = Math.Round(sampleSeconds, 3),
            ObservedConnectionsPerSecond = observedPerSecond is { } r ? Math.Round(r, 2) : null,
            SustainableConnectionsPerSecond = Math.Round(sustainable, 2),
            TimeToExhaustion = Eta(free, sustainable, observedPerSecond),
        };
    }

    /// <summary>FreePorts ÷ rate when the rate is above what TIME_WAIT recycling gives back; otherwise null.</summary>
    public static TimeSpan? Eta(int freePorts, double sustainablePerSecond, double? observedPerSecond) =>
        observedPerSecond is { } rate && rate > 0 && rate > sustainablePerSecond
            ? TimeSpan.FromSeconds(Math.Round(freePorts / rate, 1))
            : null;
}
