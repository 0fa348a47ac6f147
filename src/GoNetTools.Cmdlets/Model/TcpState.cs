namespace GoNetTools;

/// <summary>
/// TCP connection state, one enum for every OS. The OS numbers differ (Linux TIME_WAIT = 6, Windows
/// MIB_TCP_STATE_TIME_WAIT = 11); each back-end maps its own numbers onto these names.
/// </summary>
public enum TcpState
{
    /// <summary>A state number this version does not know.</summary>
    Unknown = 0,
    /// <summary>CLOSED.</summary>
    Closed,
    /// <summary>LISTEN.</summary>
    Listen,
    /// <summary>SYN_SENT.</summary>
    SynSent,
    /// <summary>SYN_RECEIVED.</summary>
    SynReceived,
    /// <summary>ESTABLISHED.</summary>
    Established,
    /// <summary>FIN_WAIT_1.</summary>
    FinWait1,
    /// <summary>FIN_WAIT_2.</summary>
    FinWait2,
    /// <summary>CLOSE_WAIT.</summary>
    CloseWait,
    /// <summary>CLOSING.</summary>
    Closing,
    /// <summary>LAST_ACK.</summary>
    LastAck,
    /// <summary>TIME_WAIT: the side that closed first waits (Linux 60 s fixed, macOS 2×MSL, Windows TcpTimedWaitDelay).</summary>
    TimeWait,
    /// <summary>DELETE_TCB (Windows).</summary>
    DeleteTcb,
    /// <summary>BOUND_INACTIVE (Linux 6.x: bound, not listening or connected).</summary>
    BoundInactive,
}

/// <summary>IP address family of a socket or a filter.</summary>
public enum IPFamily
{
    /// <summary>Both families (filters only).</summary>
    Any = 0,
    /// <summary>IPv4.</summary>
    IPv4 = 4,
    /// <summary>IPv6.</summary>
    IPv6 = 6,
}
