using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using GoNetTools.Capture;

namespace GoNetTools.Commands;

/// <summary>
/// Start-PacketCapture: captures packets from an adapter into pcap files (libpcap on Linux/macOS, Npcap on
/// Windows). Returns the session at once (background) or, with -Wait, captures in the foreground with progress
/// until -Duration, -PacketCount or Ctrl+C.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "PacketCapture", SupportsShouldProcess = true)]
[OutputType(typeof(CaptureSession))]
public sealed class StartPacketCaptureCommand : GoNetToolsCmdlet
{
    /// <summary>The adapter: a name, a wildcard matching one adapter, "Wi-Fi"/"Ethernet", or a capture device name (e.g. any).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Adapter { get; set; } = "";

    /// <summary>A BPF filter (pcap-filter syntax), e.g. 'tcp port 443'.</summary>
    [Parameter(Position = 1)]
    public string? Filter { get; set; }

    /// <summary>The pcap file; with -MaxFileSizeMB the base name of the ring files. Default: a timestamped file in the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Bytes kept of each packet (default 65535: never cut a TLS ClientHello).</summary>
    [Parameter]
    [ValidateRange(68, 262144)]
    public int SnapLength { get; set; } = 65535;

    /// <summary>Stop by itself after this long.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Duration { get; set; }

    /// <summary>Stop by itself after this many packets.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long PacketCount { get; set; }

    /// <summary>Start a new file when the current one would pass this many megabytes (MiB).</summary>
    [Parameter]
    [ValidateRange(1, 1048576)]
    public int MaxFileSizeMB { get; set; }

    /// <summary>With -MaxFileSizeMB: keep only the newest this many files (a ring, as dumpcap -b files:N).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int FileCount { get; set; }

    /// <summary>Kernel capture buffer in MiB (default 32; tcpdump's default is 2). Larger absorbs longer bursts.</summary>
    [Parameter]
    [ValidateRange(1, 2047)]
    public int BufferSizeMB { get; set; } = PcapDeviceOpener.KernelBufferBytes / (1024 * 1024);

    /// <summary>Put the adapter in promiscuous mode (see traffic not addressed to this host).</summary>
    [Parameter]
    public SwitchParameter Promiscuous { get; set; }

    /// <summary>Capture in the foreground, with progress, until -Duration, -PacketCount or Ctrl+C.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(FileCount)) && MaxFileSizeMB == 0)
        {
            ThrowTerminating(ErrorIds.InvalidCaptureOptions, ErrorCategory.InvalidArgument, FileCount,
                "-FileCount needs -MaxFileSizeMB: files rotate when they reach that size.", "Add -MaxFileSizeMB, e.g. -MaxFileSizeMB 100 -FileCount 5.");
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) && Duration <= TimeSpan.Zero)
        {
            ThrowTerminating(ErrorIds.InvalidCaptureOptions, ErrorCategory.InvalidArgument, Duration,
                $"-Duration must be positive (got {Duration}).", "Give a positive time span, e.g. -Duration 00:00:30.");
        }
        try
        {
            var library = PcapLibrary.EnsureAvailable(TestHook.PcapLibrary.Read(SessionState));
            var (adapterName, device) = CaptureAdapterResolver.Resolve(SystemRoot, Adapter);
            var path = CapturePath(adapterName);
            var rotates = MaxFileSizeMB > 0;
            var first = CaptureFileRing.FirstPath(path, rotates, DateTime.Now);
            if (!Force && File.Exists(first))
            {
                ThrowTerminating(ErrorIds.CaptureFileExists, ErrorCategory.ResourceExists, first,
                    $"The capture file '{first}' already exists.", "Use -Force to overwrite it, or choose another -Path.");
            }
            if (!ShouldProcess(first, $"Capture packets on {adapterName} ({device}) into file"))
            {
                return;
            }
            if (SnapLength < 2048)
            {
                WriteWarning($"-SnapLength {SnapLength} can cut TLS ClientHellos (often 500-2000 bytes); use 2048 or more for handshake analysis.");
            }
            var runner = CaptureRegistry.Start(new CaptureOptions
            {
                Adapter = adapterName,
                Device = device,
                Path = path,
                Filter = string.IsNullOrWhiteSpace(Filter) ? null : Filter,
                SnapLength = SnapLength,
                Promiscuous = Promiscuous,
                Duration = Duration > TimeSpan.Zero ? Duration : null,
                PacketCount = PacketCount > 0 ? PacketCount : null,
                MaxFileBytes = MaxFileSizeMB * 1024L * 1024L,
                FileCount = FileCount,
                BufferBytes = BufferSizeMB * 1024 * 1024,
                Overwrite = Force,
                Library = library,
            }, SessionOwner.Current);
            SessionOwner.Watch();
            WriteObject(Wait ? RunInForeground(runner) : runner.Snapshot());
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, Adapter);
        }
    }

    /// <summary>Polls the session on the pipeline thread (never writes from the capture thread); Ctrl+C stops it cleanly.</summary>
    private CaptureSession RunInForeground(CaptureRunner runner)
    {
        using var progress = StartProgress($"Capturing on {runner.Snapshot().Adapter}", "Starting");
        while (!progress.WaitFor(runner.Finished, TimeSpan.FromMilliseconds(500)))
        {
            var now = runner.Snapshot();
            progress.Show(string.Create(CultureInfo.InvariantCulture,
                    $"{now.Packets:N0} packets, {now.Bytes:N0} bytes, {now.Dropped:N0} dropped, {now.Elapsed:hh\\:mm\\:ss} -> {now.Path}"),
                PacketCount > 0 ? (int)Math.Min(100, now.Packets * 100 / PacketCount)
                : Duration > TimeSpan.Zero ? (int)Math.Min(100, now.Elapsed.Ticks * 100 / Duration.Ticks) : null);
        }
        if (progress.Cancelled)
        {
            runner.Stop(CaptureRegistry.StopTimeout);
        }
        return runner.Snapshot();
    }

    private string CapturePath(string adapterName)
    {
        if (Path is not null)
        {
            return GetUnresolvedProviderPathFromPSPath(Path);
        }
        var safe = new string(adapterName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        var name = string.Create(CultureInfo.InvariantCulture, $"capture_{safe}_{DateTime.Now:yyyyMMdd_HHmmss}.pcap");
        return System.IO.Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, name);
    }
}
