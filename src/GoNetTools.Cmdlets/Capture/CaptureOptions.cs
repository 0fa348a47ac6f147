using System;

namespace GoNetTools.Capture;

/// <summary>What Start-PacketCapture asked for, validated by the cmdlet.</summary>
internal sealed record CaptureOptions
{
    /// <summary>The adapter name the user knows (shown in the session).</summary>
    public required string Adapter { get; init; }
    /// <summary>The device the capture library opens.</summary>
    public required string Device { get; init; }
    /// <summary>The file (single mode) or the base name of the ring files.</summary>
    public required string Path { get; init; }
    public string? Filter { get; init; }
    public int SnapLength { get; init; } = 65535;
    public bool Promiscuous { get; init; }
    /// <summary>Stop by itself after this long.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Stop by itself after this many packets.</summary>
    public long? PacketCount { get; init; }
    /// <summary>Rotate when a file would pass this size; 0 writes one file.</summary>
    public long MaxFileBytes { get; init; }
    /// <summary>Keep only the newest this many ring files; 0 keeps all.</summary>
    public int FileCount { get; init; }
    /// <summary>Kernel capture buffer in bytes (pcap_set_buffer_size).</summary>
    public int BufferBytes { get; init; } = PcapDeviceOpener.KernelBufferBytes;
    /// <summary>Replace existing files (-Force).</summary>
    public bool Overwrite { get; init; }
    /// <summary>The native library name the probe found (for pcap_get_selectable_fd).</summary>
    public required string Library { get; init; }
}
