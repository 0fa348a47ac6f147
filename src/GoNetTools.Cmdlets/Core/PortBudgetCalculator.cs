using System;
using GoNetTools.Platform;

namespace GoNetTools.Core;

/// <summary>
/// The arithmetic behind TcpPortBudget. One (source address, destination address, destination port) tuple has
/// UsablePorts local ports; a connection the client closes first holds its port for the TIME_WAIT time, so the
/// tuple sustains FreePorts ÷ TimeWaitSeconds new connections per second. Above that rate every port is in
/// use after FreePorts ÷ rate seconds.
/// </summary>
internal static class PortBudgetCalculator
{
    public static TcpPortBudget Compute(EphemeralPortRange range, TimeWaitLength timeWait, string scope, string destination,
        TcpStateTally now, double sampleSeconds, double? observedPerSecond)
    {
        int free = Math.Max(0, range.Usable - now.Total);
        double sustainable = timeWait.Seconds > 0 ? (double)free / timeWait.Seconds : free;
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
            TimeWaitSource = timeWait.Source,
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
