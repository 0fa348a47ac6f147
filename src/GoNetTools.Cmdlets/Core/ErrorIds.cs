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

    // Lab GOPROXY (Start-/Get-/Stop-GoProxyLab)
    /// <summary>The lab server (lab/GoNetTools.Lab.dll) or a dotnet host to run it is missing.</summary>
    public const string GoProxyLabNotInstalled = "GoProxyLabNotInstalled";
    /// <summary>The lab process could not start or did not report ready.</summary>
    public const string GoProxyLabStartFailed = "GoProxyLabStartFailed";
    /// <summary>-Port is already taken.</summary>
    public const string GoProxyLabPortInUse = "GoProxyLabPortInUse";
    /// <summary>-ModuleRoot does not exist or cannot be read.</summary>
    public const string GoProxyLabModuleRootNotFound = "GoProxyLabModuleRootNotFound";
    /// <summary>-ModuleRoot holds no module in the GOMODCACHE cache/download layout.</summary>
    public const string GoProxyLabModuleRootEmpty = "GoProxyLabModuleRootEmpty";
    /// <summary>No lab with that id is running in this session.</summary>
    public const string GoProxyLabNotFound = "GoProxyLabNotFound";
}
