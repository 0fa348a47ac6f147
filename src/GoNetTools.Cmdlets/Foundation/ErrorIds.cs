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

    // Files we read and write (captures, backups, go.mod, runtime directories)
    /// <summary>The path is a FIFO, socket, device or directory where a regular file is needed; it was not opened.</summary>
    public const string NotARegularFile = "NotARegularFile";
    /// <summary>-Path names a folder that does not exist.</summary>
    public const string OutputDirectoryNotFound = "OutputDirectoryNotFound";
    /// <summary>-Path is in a folder others may write without the sticky bit, or names someone else's file in a shared folder.</summary>
    public const string OutputPathUnsafe = "OutputPathUnsafe";
    /// <summary>-Path exists and -Force was not given.</summary>
    public const string OutputFileExists = "OutputFileExists";
    /// <summary>Writing the report or metrics file failed (disk full, permissions).</summary>
    public const string OutputWriteFailed = "OutputWriteFailed";
    /// <summary>The runtime directory (/run/gonettools, $XDG_RUNTIME_DIR/gonettools) is not ours alone: wrong owner, open mode, or a link.</summary>
    public const string RuntimeDirectoryUnsafe = "RuntimeDirectoryUnsafe";

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
    /// <summary>A wildcard parameter (-Sni, -Adapter) is not a valid pattern (an unclosed or reversed [range]).</summary>
    public const string InvalidWildcardPattern = "InvalidWildcardPattern";
    // Tunables (Get/Set/Test/Undo-TcpTuning, Get-TcpTuningBackup)
    /// <summary>-Name is not a tunable in the catalog for this OS (paths and unknown keys land here).</summary>
    public const string UnknownTunable = "UnknownTunable";
    /// <summary>-Profile is not a profile in the catalog.</summary>
    public const string UnknownTuningProfile = "UnknownTuningProfile";
    /// <summary>-Value does not fit the tunable's type, range or rules.</summary>
    public const string InvalidTunableValue = "InvalidTunableValue";
    /// <summary>Applying tunables needs root / Administrator.</summary>
    public const string TuningRequiresRoot = "TuningRequiresRoot";
    /// <summary>Reading a tunable or the boot-time configuration failed.</summary>
    public const string TunableReadFailed = "TunableReadFailed";
    /// <summary>Writing a tunable failed; the ones already applied were restored.</summary>
    public const string TunableWriteFailed = "TunableWriteFailed";
    /// <summary>Restoring after a failure failed too: the listed tunables need a manual fix.</summary>
    public const string TuningRollbackFailed = "TuningRollbackFailed";
    /// <summary>Writing the persisted configuration (sysctl.d file, sysctl.conf block) failed.</summary>
    public const string TuningPersistFailed = "TuningPersistFailed";
    /// <summary>The snapshot could not be written before changing anything.</summary>
    public const string TuningBackupFailed = "TuningBackupFailed";
    /// <summary>No backup at -Backup, or none at all for -Latest.</summary>
    public const string TuningBackupNotFound = "TuningBackupNotFound";
    /// <summary>A backup file is not a GoNetTools tuning snapshot.</summary>
    public const string TuningBackupInvalid = "TuningBackupInvalid";
    /// <summary>The backup was taken in another network namespace or host (use -Force to restore anyway).</summary>
    public const string TuningBackupScopeMismatch = "TuningBackupScopeMismatch";
    /// <summary>Another Set-TcpTuning/Undo-TcpTuning held the persisted file's lock for too long.</summary>
    public const string TuningLockTimeout = "TuningLockTimeout";

    // Lab GOPROXY (Start-/Get-/Stop-GoProxyLab)
    /// <summary>The lab server (lab/GoNetTools.Lab.dll) or a dotnet host to run it is missing.</summary>
    public const string GoProxyLabNotInstalled = "GoProxyLabNotInstalled";
    /// <summary>The lab process could not start or did not report ready.</summary>
    public const string GoProxyLabStartFailed = "GoProxyLabStartFailed";
    /// <summary>-Port is already taken.</summary>
    public const string GoProxyLabPortInUse = "GoProxyLabPortInUse";
    /// <summary>-Address is not an IP address.</summary>
    public const string GoProxyLabInvalidAddress = "GoProxyLabInvalidAddress";
    /// <summary>-ModuleRoot does not exist or cannot be read.</summary>
    public const string GoProxyLabModuleRootNotFound = "GoProxyLabModuleRootNotFound";
    /// <summary>-ModuleRoot holds no module in the GOMODCACHE cache/download layout.</summary>
    public const string GoProxyLabModuleRootEmpty = "GoProxyLabModuleRootEmpty";
    /// <summary>No lab with that id is running in this session.</summary>
    public const string GoProxyLabNotFound = "GoProxyLabNotFound";

    // NIC adapters, queues and interrupts
    /// <summary>No adapter has the name given (the message lists the adapters there are).</summary>
    public const string AdapterNotFound = "AdapterNotFound";
    /// <summary>A wildcard -Adapter given to a command that changes one adapter matched more than one.</summary>
    public const string AdapterAmbiguous = "AdapterAmbiguous";
    /// <summary>Reading adapters, queues or interrupts from the OS failed.</summary>
    public const string NicInfoUnavailable = "NicInfoUnavailable";
    /// <summary>The adapter has no queue with the index given.</summary>
    public const string NicQueueNotFound = "NicQueueNotFound";
    /// <summary>No interrupt with the number given.</summary>
    public const string IrqNotFound = "IrqNotFound";
    /// <summary>The CPU set is empty, or names a CPU that is offline or absent.</summary>
    public const string InvalidCpuSet = "InvalidCpuSet";
    /// <summary>Writing an IRQ affinity or a queue's RPS/XPS mask failed.</summary>
    public const string NicSettingWriteFailed = "NicSettingWriteFailed";

    // Packet capture
    /// <summary>libpcap (Linux/macOS) or Npcap (Windows) is not installed.</summary>
    public const string CaptureLibraryMissing = "CaptureLibraryMissing";
    /// <summary>Capturing needs root, CAP_NET_RAW/CAP_NET_ADMIN, or Administrator.</summary>
    public const string CapturePermissionDenied = "CapturePermissionDenied";
    /// <summary>libpcap rejected the BPF filter expression.</summary>
    public const string InvalidCaptureFilter = "InvalidCaptureFilter";
    /// <summary>The capture file exists and -Force was not given.</summary>
    public const string CaptureFileExists = "CaptureFileExists";
    /// <summary>The capture file could not be created or written.</summary>
    public const string CaptureFileError = "CaptureFileError";
    /// <summary>The capture device could not be opened or read.</summary>
    public const string CaptureDeviceError = "CaptureDeviceError";
    /// <summary>No capture session has the given id.</summary>
    public const string CaptureSessionNotFound = "CaptureSessionNotFound";
    /// <summary>Parameters that do not work together (e.g. -FileCount without -MaxFileSizeMB).</summary>
    public const string InvalidCaptureOptions = "InvalidCaptureOptions";
    /// <summary>The adapter is not a device the capture library knows.</summary>
    public const string CaptureAdapterNotFound = "CaptureAdapterNotFound";

    // Port budget, TCP watch and GOPROXY stability (Watch-TcpState, Get-TcpPortBudget, Test-GoProxyStability)
    /// <summary>The ephemeral port range could not be read or parsed.</summary>
    public const string PortRangeUnavailable = "PortRangeUnavailable";
    /// <summary>-Duration or -SampleSeconds out of range.</summary>
    public const string InvalidDuration = "InvalidDuration";
    /// <summary>-Proxy is not a usable GOPROXY value: not a URL, a scheme other than http/https, file://, or an empty list.</summary>
    public const string InvalidProxy = "InvalidProxy";
    /// <summary>-Stress against a proxy not on this host was not confirmed (answer the prompt, or -Confirm:$false).</summary>
    public const string StressNotConfirmed = "StressNotConfirmed";
    /// <summary>-GoMod names no file.</summary>
    public const string GoModNotFound = "GoModNotFound";
    /// <summary>-GoMod is not a go.mod file (no module line) or has no require lines.</summary>
    public const string InvalidGoMod = "InvalidGoMod";
    /// <summary>A -Module value is not "path" or "path@version".</summary>
    public const string InvalidModule = "InvalidModule";
    /// <summary>No connection to the proxy could be made (refused, unreachable, name not resolved, timed out).</summary>
    public const string ProxyUnreachable = "ProxyUnreachable";
    /// <summary>The TLS handshake with the proxy failed (untrusted certificate, refused handshake).</summary>
    public const string ProxyTlsFailed = "ProxyTlsFailed";
    /// <summary>The URL answers, but not as a GOPROXY (no version list, HTML pages).</summary>
    public const string NotGoProxy = "NotGoProxy";
    /// <summary>-Adapter names an adapter without an IP address.</summary>
    public const string AdapterHasNoAddress = "AdapterHasNoAddress";
    /// <summary>The stability run failed for another reason.</summary>
    public const string StabilityRunFailed = "StabilityRunFailed";

    // Report and metrics (ConvertTo-/Export-GoNetReport, ConvertTo-/Export-GoNetMetric)
    /// <summary>A pipeline object is not a type the report or the metrics writer knows (it is skipped).</summary>
    public const string UnsupportedInput = "UnsupportedInput";
    /// <summary>Nothing in the pipeline could be reported or exported.</summary>
    public const string NoUsableInput = "NoUsableInput";

    // Measure-GoModDownload
    /// <summary>The go tool is not installed or not on PATH.</summary>
    public const string GoToolNotFound = "GoToolNotFound";
    /// <summary>go mod download exited with an error (the measurement is still returned).</summary>
    public const string GoModDownloadFailed = "GoModDownloadFailed";
    /// <summary>Neither -Module nor -GoMod was given with -Proxy.</summary>
    public const string GoModDownloadNoModules = "GoModDownloadNoModules";
    /// <summary>The lab piped in is not running.</summary>
    public const string GoModDownloadLabNotRunning = "GoModDownloadLabNotRunning";

    // Workstation (Measure-GoBuild, Test-GoWorkstation, Test-NetworkUnderLoad)
    /// <summary>A go build run exited with an error (the measurement of the other runs is still returned).</summary>
    public const string GoBuildFailed = "GoBuildFailed";
    /// <summary>-Package is not a Go import path or pattern (it would be read as a flag, or holds characters go does not allow).</summary>
    public const string InvalidGoPackage = "InvalidGoPackage";
    /// <summary>Reading the machine's facts (procfs, sysfs, CIM, sysctl) failed.</summary>
    public const string WorkstationInfoUnavailable = "WorkstationInfoUnavailable";
    /// <summary>-Target is not an address or resolvable name, or the adapter has no gateway to probe.</summary>
    public const string InvalidProbeTarget = "InvalidProbeTarget";
    /// <summary>The probe could not run (no socket, ICMP refused by the OS); the run stops.</summary>
    public const string ProbeFailed = "ProbeFailed";
    /// <summary>Runs of the load (go build -a std, go mod download from the lab) exited with an error; the result is still written.</summary>
    public const string LoadRunFailed = "LoadRunFailed";
}
