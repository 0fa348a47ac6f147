using System;

namespace GoNetTools;

/// <summary>Where a capture session is in its life.</summary>
public enum CaptureState
{
    /// <summary>Packets are being captured and written.</summary>
    Running,
    /// <summary>Stopped by the user, by -Duration/-PacketCount, or when the module was removed; files are complete.</summary>
    Stopped,
    /// <summary>Stopped by an error (see Error); the files hold every packet written before it and stay readable.</summary>
    Failed,
}

/// <summary>
/// One packet capture (Start-PacketCapture) as seen at one moment: a snapshot, so counters do not change under
/// a script that holds it; Get-PacketCapture gives a fresh one. Dropped and InterfaceDropped come from libpcap's
/// pcap_stats (ps_drop: packets the kernel dropped because the capture buffer was full; ps_ifdrop: dropped by
/// the interface or its driver), never estimated.
/// </summary>
public sealed class CaptureSession
{
    /// <summary>Process-wide id (Get-PacketCapture -Id, Stop-PacketCapture -Id).</summary>
    public int Id { get; init; }
    /// <summary>The adapter name as resolved (the name the user knows).</summary>
    public string Adapter { get; init; } = "";
    /// <summary>The device the capture library opened (on Windows \Device\NPF_{GUID}).</summary>
    public string Device { get; init; } = "";
    /// <summary>The BPF filter, or null when every packet is captured.</summary>
    public string? Filter { get; init; }
    /// <summary>The file being written now (the last file once stopped).</summary>
    public string Path { get; init; } = "";
    /// <summary>Every file the session kept, oldest first (with -FileCount only the newest that many).</summary>
    public string[] Files { get; init; } = Array.Empty<string>();
    /// <summary>Running, Stopped or Failed.</summary>
    public CaptureState State { get; init; }
    /// <summary>When capture started.</summary>
    public DateTime StartTime { get; init; }
    /// <summary>When capture ended; null while running.</summary>
    public DateTime? EndTime { get; init; }
    /// <summary>Packets written to the files (what tshark -r counts across Files, plus packets in rotated-out files).</summary>
    public long Packets { get; init; }
    /// <summary>Bytes of those packets on the wire (original length, as tshark's frame.len).</summary>
    public long Bytes { get; init; }
    /// <summary>Packets the kernel dropped because the capture buffer was full (pcap_stats ps_drop).</summary>
    public long Dropped { get; init; }
    /// <summary>Packets the interface or driver dropped (pcap_stats ps_ifdrop; 0 where the OS does not tell).</summary>
    public long InterfaceDropped { get; init; }
    /// <summary>Snapshot length in bytes.</summary>
    public int SnapLength { get; init; }
    /// <summary>Why the session failed, or null.</summary>
    public string? Error { get; init; }
    /// <summary>How long the session has run (or ran).</summary>
    public TimeSpan Elapsed => (EndTime ?? DateTime.Now) - StartTime;

    /// <inheritdoc />
    public override string ToString() => $"Capture {Id} on {Adapter}: {State}, {Packets} packets";
}
