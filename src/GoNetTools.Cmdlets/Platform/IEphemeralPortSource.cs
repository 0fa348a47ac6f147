namespace GoNetTools.Platform;

/// <summary>The ephemeral (dynamic) port range, the ports kept out of it, and how long TIME_WAIT lasts.</summary>
internal sealed record EphemeralPortRange(int Start, int End, int Reserved, string Source)
{
    public int Size => End >= Start ? End - Start + 1 : 0;
    public int Usable => System.Math.Max(0, Size - Reserved);
}

/// <summary>TIME_WAIT length as the arithmetic uses it, and where it came from.</summary>
internal sealed record TimeWaitLength(int Seconds, string Source);

/// <summary>One implementation per OS, chosen in <see cref="PlatformServices"/>.</summary>
internal interface IEphemeralPortSource
{
    /// <summary>The range and reserved ports (Linux ip_local_port_range, Windows netsh dynamicport, macOS sysctl).</summary>
    EphemeralPortRange ReadRange();

    /// <summary>Linux 60 s fixed (TCP_TIMEWAIT_LEN); macOS 2 × net.inet.tcp.msl; Windows TcpTimedWaitDelay or the OS default.</summary>
    TimeWaitLength ReadTimeWait();
}
