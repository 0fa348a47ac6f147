namespace GoNetTools.Platform;

/// <summary>The ephemeral (dynamic) port range, the ports kept out of it, and how long TIME_WAIT lasts.</summary>
internal sealed record EphemeralPortRange(int Start, int End, int Reserved, string Source)
{
    public int Size => End >= Start ? End - Start + 1 : 0;
    public int Usable => System.Math.Max(0, Size - Reserved);
}

/// <summary>TIME_WAIT length as the arithmetic uses it, and where it came from.</summary>
internal sealed record TimeWaitLength(int Seconds, string Source);

/// <summary>
/// Whether connect() may take a port still in TIME_WAIT (Linux tcp_tw_reuse: 0 off, 1 on, 2 loopback only — the
/// default — and only with tcp_timestamps on); null values where the OS has no such switch.
/// </summary>
internal sealed record TimeWaitReuse(int? Mode, bool? Timestamps, string Source)
{
    /// <summary>True when a new connection to a destination (loopback or not) may reuse a TIME_WAIT port.</summary>
    public bool PossibleToward(bool loopback) => Timestamps == true && (Mode == 1 || (Mode == 2 && loopback));

    public string Describe(bool loopback) => Mode is null
        ? $"no TIME_WAIT reuse switch ({Source})"
        : $"tcp_tw_reuse={Mode}{(Mode == 2 ? " (loopback only)" : "")}, tcp_timestamps={(Timestamps == true ? 1 : 0)}: "
          + (PossibleToward(loopback) ? "connect() may reuse a TIME_WAIT port toward this proxy" : "no TIME_WAIT port is reused toward this proxy");
}

/// <summary>One implementation per OS, chosen in <see cref="PlatformServices"/>.</summary>
internal interface IEphemeralPortSource
{
    /// <summary>The range and reserved ports (Linux ip_local_port_range, Windows netsh dynamicport, macOS sysctl).</summary>
    EphemeralPortRange ReadRange();

    /// <summary>Linux 60 s fixed (TCP_TIMEWAIT_LEN); macOS 2 × net.inet.tcp.msl; Windows TcpTimedWaitDelay or the OS default.</summary>
    TimeWaitLength ReadTimeWait();

    /// <summary>Linux tcp_tw_reuse and tcp_timestamps of this namespace; no switch elsewhere.</summary>
    TimeWaitReuse ReadTimeWaitReuse();
}
