namespace GoNetTools;

/// <summary>
/// Every FullyQualifiedErrorId prefix the module writes. Stable: scripts and tests match on these.
/// Add new ids here, grouped by area, never rename one.
/// </summary>
public static class ErrorIds
{
    // Platform
    /// <summary>The OS is not one GoNetTools supports for this feature.</summary>
    public const string PlatformNotSupported = "PlatformNotSupported";
    /// <summary>An OS call failed (errno / Win32 error in the message).</summary>
    public const string NativeCallFailed = "NativeCallFailed";
    /// <summary>A line or record from the OS could not be parsed and was skipped.</summary>
    public const string MalformedSourceData = "MalformedSourceData";

    // TCP state
    /// <summary>-LocalAddress/-RemoteAddress is neither an IP address nor a CIDR prefix.</summary>
    public const string InvalidAddressFilter = "InvalidAddressFilter";
    /// <summary>Reading the TCP socket table failed.</summary>
    public const string TcpTableUnavailable = "TcpTableUnavailable";
    /// <summary>Reading the TCP counters failed.</summary>
    public const string TcpCountersUnavailable = "TcpCountersUnavailable";
    /// <summary>-Interval is zero, negative or longer than a day.</summary>
    public const string InvalidInterval = "InvalidInterval";

    // Capture analysis
    /// <summary>-Path/-LiteralPath names no file.</summary>
    public const string CaptureFileNotFound = "CaptureFileNotFound";
    /// <summary>The file is not pcap or pcapng.</summary>
    public const string InvalidCaptureFile = "InvalidCaptureFile";
    /// <summary>The capture file could not be opened or read (permissions, I/O).</summary>
    public const string CaptureReadFailed = "CaptureReadFailed";
}
