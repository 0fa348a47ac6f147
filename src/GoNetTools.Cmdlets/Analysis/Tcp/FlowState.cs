namespace GoNetTools.Analysis.Tcp;

/// <summary>Per-direction counters and sequence tracking.</summary>
internal sealed class DirectionState
{
    public long Packets;
    public long Bytes;
    public int Retransmissions;
    public bool SequenceKnown;
    /// <summary>Highest sequence number + length seen (serial arithmetic), for spotting resent space.</summary>
    public uint MaxSequenceEnd;
    public StreamReassembler? Reassembler;
}

/// <summary>Everything kept for one open TCP connection: a fixed set of counters plus bounded reader state.</summary>
internal sealed class FlowState
{
    public FlowState(FlowKey key, bool clientIsA, bool midStream, long startTicks)
    {
        Key = key;
        KeyHash = key.Hash();
        ClientIsA = clientIsA;
        MidStream = midStream;
        StartTicks = startTicks;
        LastTicks = startTicks;
    }

    public FlowKey Key { get; }
    public int KeyHash { get; }
    /// <summary>Chain link in <see cref="FlowTable"/>.</summary>
    public FlowState? NextInBucket;
    /// <summary>True when the client is endpoint A of the key.</summary>
    public bool ClientIsA { get; }
    public bool MidStream { get; }
    public long StartTicks { get; }
    public long LastTicks;
    public long SynTicks;
    public bool ClientIsnKnown;
    public uint ClientIsn;
    public bool SynAckSeen;
    public uint ServerIsn;
    public long? HandshakeRttTicks;
    public readonly DirectionState ToServer = new();
    public readonly DirectionState ToClient = new();
    public bool ClientFin;
    public bool ServerFin;
    public FlowSide FirstFin;
    public FlowSide ResetBy;
    public bool Queued;
    public bool Finished;
    public bool HandshakeReported;
    public FlowApplication? Application;

    /// <summary>Both FINs or a RST: a later SYN on the same tuple starts a new connection.</summary>
    public bool Closed => (ClientFin && ServerFin) || ResetBy != FlowSide.None;

    /// <summary>The active closer enters TIME_WAIT (RFC 9293 3.6); a RST, or a close never finished, leaves none.</summary>
    public FlowSide TimeWaitHolder => ClientFin && ServerFin && ResetBy == FlowSide.None ? FirstFin : FlowSide.None;
}
