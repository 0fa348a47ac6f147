using System;
using System.Collections.Specialized;

namespace GoNetTools;

/// <summary>
/// The ephemeral-port budget toward one destination. One (source address, destination, port) tuple can hold
/// at most UsablePorts sockets; every connection the client closes first keeps its port for the TIME_WAIT
/// time, so the tuple sustains about FreePorts ÷ TimeWaitSeconds new connections per second
/// (Linux ≈ 28,232 ÷ 60 ≈ 470/s).
/// </summary>
public sealed class TcpPortBudget
{
    /// <summary>Network namespace on Linux, "host" elsewhere.</summary>
    public string Scope { get; init; } = "";
    /// <summary>The destination filter, or "any".</summary>
    public string Destination { get; init; } = "any";
    /// <summary>First ephemeral port.</summary>
    public int RangeStart { get; init; }
    /// <summary>Last ephemeral port.</summary>
    public int RangeEnd { get; init; }
    /// <summary>Ports in the range.</summary>
    public int RangeSize { get; init; }
    /// <summary>Ports in the range that are reserved (Linux ip_local_reserved_ports) or excluded (Windows).</summary>
    public int ReservedPorts { get; init; }
    /// <summary>RangeSize − ReservedPorts.</summary>
    public int UsablePorts { get; init; }
    /// <summary>Where the range came from (file or command).</summary>
    public string RangeSource { get; init; } = "";
    /// <summary>How long a socket stays in TIME_WAIT, in seconds, as used in the arithmetic.</summary>
    public int TimeWaitSeconds { get; init; }
    /// <summary>Where TimeWaitSeconds came from ("Linux TCP_TIMEWAIT_LEN (fixed)", "2 × net.inet.tcp.msl", "TcpTimedWaitDelay not set (OS default)").</summary>
    public string TimeWaitSource { get; init; } = "";
    /// <summary>Sockets toward the destination now, all states (each holds a local port).</summary>
    public int InUse { get; init; }
    /// <summary>Of those, in TIME_WAIT.</summary>
    public int TimeWait { get; init; }
    /// <summary>Sockets toward the destination by state name.</summary>
    public OrderedDictionary InUseByState { get; init; } = new();
    /// <summary>UsablePorts − InUse.</summary>
    public int FreePorts { get; init; }
    /// <summary>Length of the observation, in seconds (0 when not sampled).</summary>
    public double SampleSeconds { get; init; }
    /// <summary>New connections toward the destination per second seen during the sample.</summary>
    public double? ObservedConnectionsPerSecond { get; init; }
    /// <summary>FreePorts ÷ TimeWaitSeconds: new connections per second the tuple sustains when the client closes first.</summary>
    public double SustainableConnectionsPerSecond { get; init; }
    /// <summary>When the observed rate is above the sustainable one: FreePorts ÷ observed rate. Null: no exhaustion at this rate.</summary>
    public TimeSpan? TimeToExhaustion { get; init; }
}
