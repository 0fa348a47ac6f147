using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using GoNetTools.Platform;
using GoNetTools.Workstation.NetworkLoad;

namespace GoNetTools.Commands;

/// <summary>
/// Test-NetworkUnderLoad: the network under compile load. An idle baseline, then the same probe while go builds
/// std in a loop and downloads a lab GOPROXY's modules; probe loss and latency p50/p99, softnet drops and
/// time_squeeze, NIC drops, TCP retransmits, CPU clock and temperature, baseline against load, with what changed
/// beyond run-to-run noise and which links of heat → clock → softirq → drops the data supports.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetworkUnderLoad")]
[OutputType(typeof(NetworkLoadResult))]
public sealed class TestNetworkUnderLoadCommand : WorkstationCommandBase
{
    /// <summary>How long each phase (baseline, load) measures; 20 s by default.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Windows each phase is cut into; their spread is the run-to-run noise.</summary>
    [Parameter]
    [ValidateRange(3, 20)]
    public int Windows { get; set; } = 5;

    /// <summary>Probe through this adapter with ICMP echo (to -Target, else its gateway) and watch its drop counters.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    public string? Adapter { get; set; }

    /// <summary>The host to ICMP-echo (an address or name); without it and -Adapter, UDP echo over loopback.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    /// <summary>What loads the machine: Compile (go build -a std), Download (go mod download from a lab GOPROXY), or both (default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public NetworkLoadKind[] Load { get; set; } = { NetworkLoadKind.Compile, NetworkLoadKind.Download };

    /// <summary>Time between probes: 10 ms over loopback, 50 ms with ICMP by default.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? ProbeInterval { get; set; }

    /// <summary>How often the machine is sampled (default 500 ms).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Duration < TimeSpan.FromSeconds(3) || Duration > TimeSpan.FromHours(1))
        {
            ThrowTerminating(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument, Duration, $"-Duration {Duration} is out of range.", "Give 3 s to 1 h per phase, such as 20 or '1m'.");
        }
        var icmp = Adapter is not null || Target is not null;
        var interval = ProbeInterval ?? TimeSpan.FromMilliseconds(icmp ? 50 : 10);
        if (interval < TimeSpan.FromMilliseconds(1) || interval > TimeSpan.FromSeconds(10) || SampleInterval < TimeSpan.FromMilliseconds(100) || SampleInterval > TimeSpan.FromMinutes(1))
        {
            ThrowTerminating(ErrorIds.InvalidInterval, ErrorCategory.InvalidArgument, interval,
                "-ProbeInterval must be 1 ms to 10 s and -SampleInterval 100 ms to 1 min.", "Use the defaults (10 ms or 50 ms, and 500 ms), or values in those ranges.");
        }
        var go = FindGo();
        var nic = PlatformServices.Nic(SystemRoot);
        NicAdapter? adapter = null;
        Run(Adapter, () => adapter = Adapter is null ? null : AdapterLookup.ResolveOne(nic, Adapter, "Test-NetworkUnderLoad"));
        var target = icmp ? ProbeTarget(adapter) : null;
        var watched = adapter is not null ? new[] { adapter.Name }
            : nic.GetAdapters().Where(a => a.IsPhysical || (!icmp && a.Kind == NicKind.Loopback)).Select(a => a.Name).ToArray();
        using var progress = StartProgress("Test-NetworkUnderLoad", "Starting");
        var run = new NetworkLoadRun(Source, go, new NetworkLoadOptions
        {
            Duration = Duration,
            Windows = Windows,
            ProbeInterval = interval,
            SampleInterval = SampleInterval,
            Compile = Load.Contains(NetworkLoadKind.Compile),
            Download = Load.Contains(NetworkLoadKind.Download),
            Adapters = watched,
            IcmpTarget = target,
            Via = adapter?.Name ?? "",
            ModuleBase = MyInvocation.MyCommand.Module?.ModuleBase,
            LabOwner = SessionOwner.Current,
        }, CancelToken)
        {
            Progress = (status, percent) => progress.Show(status, percent),
        };
        if (Load.Contains(NetworkLoadKind.Download))
        {
            SessionOwner.Watch();
        }
        Run(target?.ToString() ?? "loopback", () =>
        {
            var result = run.Run();
            WriteObject(result);
            ReportLoadFailures(result, run.LoadFailures);
        });
    }

    /// <summary>A load whose go runs failed was not the load the result names: one LoadRunFailed error per loop says so.</summary>
    private void ReportLoadFailures(NetworkLoadResult result, (string? Compile, string? Download) last)
    {
        if (result.CompileRunsFailed > 0)
        {
            WriteError(ErrorIds.LoadRunFailed, ErrorCategory.InvalidResult, "go build -a std",
                $"{result.CompileRunsFailed} of {result.CompileRunsStarted} 'go build -a std' runs of the load failed; the last: {last.Compile}",
                "The compile load was lighter than named; run 'go build -a std' by hand to see what go needs.");
        }
        if (result.DownloadRunsFailed > 0)
        {
            WriteError(ErrorIds.LoadRunFailed, ErrorCategory.InvalidResult, result.LabUrl,
                $"{result.DownloadRunsFailed} of {result.DownloadRunsFailed + result.DownloadRunsFinished} 'go mod download' runs from the lab failed; the last: {last.Download}",
                "The download load was lighter than named; Measure-GoModDownload -Lab shows what go and the lab said.");
        }
    }

    /// <summary>-Target resolved, else the adapter's IPv4 gateway; stops with InvalidProbeTarget when there is none.</summary>
    private IPAddress ProbeTarget(NicAdapter? adapter)
    {
        if (Target is not null)
        {
            if (IPAddress.TryParse(Target, out var address))
            {
                return address;
            }
            try
            {
                return Dns.GetHostAddresses(Target).First(a => a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6);
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
            {
                ThrowTerminating(ErrorIds.InvalidProbeTarget, ErrorCategory.InvalidArgument, Target, $"-Target '{Target}' does not resolve: {e.Message}", "Give an IP address or a name DNS resolves.");
            }
        }
        var gateway = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == adapter!.Name)?.GetIPProperties().GatewayAddresses
            .Select(g => g.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        if (gateway is null)
        {
            ThrowTerminating(ErrorIds.InvalidProbeTarget, ErrorCategory.ObjectNotFound, Adapter,
                $"{adapter!.Name} has no IPv4 gateway to probe.", $"Name a host on {adapter.Name}'s network with -Target.");
        }
        return gateway!;
    }
}
