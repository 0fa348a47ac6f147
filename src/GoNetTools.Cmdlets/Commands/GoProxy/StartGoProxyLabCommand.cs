using System;
using System.IO;
using System.Management.Automation;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>
/// Start-GoProxyLab: starts a local GOPROXY (the lab server staged with the module) serving a synthetic catalog
/// or a module cache, with the faults asked for, and returns it with the environment the go tool needs to use it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "GoProxyLab", SupportsShouldProcess = true, DefaultParameterSetName = SyntheticSet)]
[OutputType(typeof(GoProxyLab))]
public sealed class StartGoProxyLabCommand : GoNetToolsCmdlet
{
    private const string SyntheticSet = "Synthetic";
    private const string ModuleRootSet = "ModuleRoot";
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>A directory in the GOMODCACHE cache/download layout (or a GOMODCACHE) to serve instead of synthetic modules.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ModuleRootSet)]
    [ValidateNotNullOrEmpty]
    public string ModuleRoot { get; set; } = "";

    /// <summary>How many synthetic modules to generate.</summary>
    [Parameter(ParameterSetName = SyntheticSet)]
    [ValidateRange(1, 10_000)]
    public int SyntheticModules { get; set; } = GoProxyLabOptions.DefaultSyntheticModules;

    /// <summary>Versions per synthetic module (v1.0.0, v1.1.0, …).</summary>
    [Parameter(ParameterSetName = SyntheticSet)]
    [ValidateRange(1, 100)]
    public int SyntheticVersions { get; set; } = 2;

    /// <summary>Approximate size in bytes of each synthetic module zip.</summary>
    [Parameter(ParameterSetName = SyntheticSet)]
    [ValidateRange(0, 64 * 1024 * 1024)]
    public int SyntheticModuleSize { get; set; } = 16 * 1024;

    /// <summary>Serve http:// (HTTP/1.1, and HTTP/2 with prior knowledge) instead of https://.</summary>
    [Parameter]
    public SwitchParameter Cleartext { get; set; }

    /// <summary>IP address to listen on (127.0.0.1 by default); the certificate names it too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 (the default) picks a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>Offer HTTP/1.1 only (no h2 in ALPN, no h2c).</summary>
    [Parameter]
    public SwitchParameter Http1Only { get; set; }

    /// <summary>HTTP/1.1: "Connection: close" on the Nth request of each connection; HTTP/2: graceful GOAWAY after the Nth stream.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int CloseAfterRequests { get; set; }

    /// <summary>Graceful GOAWAY (NO_ERROR) after N streams on an HTTP/2 connection, like nginx's 1000-request budget.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int GoAwayAfterStreams { get; set; }

    /// <summary>Percentage of requests answered with RST_STREAM INTERNAL_ERROR (HTTP/1.1: connection dropped).</summary>
    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double ResetStreamPercent { get; set; }

    /// <summary>Delay before each response ("50ms", "1s" or a TimeSpan).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Latency { get; set; }

    /// <summary>Delay before the TLS handshake is answered ("9s" or a TimeSpan); Go gives up after 10 s.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan HandshakeDelay { get; set; }

    /// <summary>HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS to advertise; 0 keeps Kestrel's 100.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxConcurrentStreams { get; set; }

    /// <summary>Answer every Nth request 429 Too Many Requests with Retry-After (-RetryAfter). 0 = off.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TooManyRequestsEvery { get; set; }

    /// <summary>The Retry-After of -TooManyRequestsEvery's 429 answers (whole seconds, default 1 s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After N requests (once), close every open connection gracefully, as a reload does (HTTP/2: the two-step GOAWAY). 0 = off.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int ReloadAfterRequests { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        ValidateDelay(nameof(Latency), Latency);
        ValidateDelay(nameof(HandshakeDelay), HandshakeDelay);
        ValidateDelay(nameof(RetryAfter), RetryAfter);
        if (!System.Net.IPAddress.TryParse(Address, out var address))
        {
            ThrowTerminating(ErrorIds.GoProxyLabInvalidAddress, ErrorCategory.InvalidArgument, Address,
                $"-Address '{Address}' is not an IP address.", "Give an IP address of this machine, such as 127.0.0.1 or ::1.");
        }
        string? root = null;
        if (ParameterSetName == ModuleRootSet)
        {
            root = GetUnresolvedProviderPathFromPSPath(ModuleRoot);
            if (!Directory.Exists(root))
            {
                ThrowTerminating(ErrorIds.GoProxyLabModuleRootNotFound, ErrorCategory.ObjectNotFound, ModuleRoot,
                    $"The module root '{root}' is not a directory.", "Give a directory in the GOMODCACHE layout, e.g. $(go env GOMODCACHE)/cache/download.");
            }
        }
        var faults = new GoProxyLabFaults
        {
            Http1Only = Http1Only,
            CloseAfterRequests = CloseAfterRequests,
            GoAwayAfterStreams = GoAwayAfterStreams,
            ResetStreamPercent = ResetStreamPercent,
            Latency = Latency,
            HandshakeDelay = HandshakeDelay,
            MaxConcurrentStreams = MaxConcurrentStreams,
            TooManyRequestsEvery = TooManyRequestsEvery,
            RetryAfter = RetryAfter,
            ReloadAfterRequests = ReloadAfterRequests,
        };
        var options = new GoProxyLabOptions
        {
            Address = address!.ToString(),
            Port = Port,
            Cleartext = Cleartext,
            ModuleRoot = root,
            SyntheticModules = root is null ? SyntheticModules : null,
            SyntheticVersions = SyntheticVersions,
            SyntheticModuleSize = SyntheticModuleSize,
            Faults = faults,
        };
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var endpoint = $"{(Cleartext ? "http" : "https")}://{host}:{(Port == 0 ? "<free port>" : Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
        if (!ShouldProcess(endpoint, $"Start lab GOPROXY ({faults})"))
        {
            return;
        }

        try
        {
            // Test hook, like $GoNetToolsSystemRoot: the runspace variable $GoNetToolsLabPath names another lab assembly.
            var labAssembly = TestHook.LabAssembly.Read(SessionState);
            var lab = GoProxyLabLauncher.Start(options, MyInvocation.MyCommand.Module?.ModuleBase, SessionOwner.Current, CancelToken,
                string.IsNullOrEmpty(labAssembly) ? null : labAssembly);
            SessionOwner.Watch();
            WriteObject(lab);
        }
        catch (GoNetToolsException e)
        {
            object target = e.ErrorId == ErrorIds.GoProxyLabPortInUse ? Port
                : root is not null && e.ErrorId.StartsWith("GoProxyLabModuleRoot", StringComparison.Ordinal) ? ModuleRoot
                : endpoint;
            ThrowTerminating(e, target);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private void ValidateDelay(string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value > MaxDelay)
        {
            ThrowTerminating(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument, value,
                $"-{name} {value} is out of range.", $"Give a delay from 0 to 1 hour, e.g. -{name} 250ms or -{name} 9s.");
        }
    }
}
