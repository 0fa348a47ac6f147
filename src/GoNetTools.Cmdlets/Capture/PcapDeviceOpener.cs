using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Platform;
using SharpPcap;
using SharpPcap.LibPcap;
using GoNetTools.Foundation;

namespace GoNetTools.Capture;

/// <summary>
/// Opens a libpcap/Npcap device for capture and turns libpcap's failures into errors that say what to do:
/// no privilege, a filter libpcap rejects (with libpcap's own message), a device it does not know.
/// Callers run <see cref="PcapLibrary.EnsureAvailable"/> first: this is the first code that calls into SharpPcap.
/// </summary>
internal static class PcapDeviceOpener
{
    /// <summary>Default kernel capture buffer: 32 MiB absorbs bursts at 50k+ packets/s (tcpdump's default is 2 MiB).</summary>
    public const int KernelBufferBytes = 32 * 1024 * 1024;

    /// <summary>How long a read waits before the capture loop gets control back (flushes, stats, stop requests).</summary>
    public const int ReadTimeoutMs = 200;

    /// <summary>The device names libpcap lists (pcap_findalldevs), e.g. for "unknown adapter" messages.</summary>
    public static IReadOnlyList<string> DeviceNames() =>
        LibPcapLiveDeviceList.New().Select(d => d.Name).ToList();

    /// <summary>Opens and configures the device; throws GoNetToolsException with an id from ErrorIds.</summary>
    public static LibPcapLiveDevice Open(string deviceName, int snapLength, bool promiscuous, string? filter, int bufferBytes = KernelBufferBytes)
    {
        var device = LibPcapLiveDeviceList.New().FirstOrDefault(d => string.Equals(d.Name, deviceName, StringComparison.Ordinal))
            ?? throw new GoNetToolsException(ErrorIds.CaptureAdapterNotFound, FailureKind.ObjectNotFound,
                $"The capture library has no device named '{deviceName}'. Devices: {string.Join(", ", DeviceNames())}.",
                "Use one of the listed names (Get-NicAdapter shows adapters).");
        try
        {
            device.Open(new DeviceConfiguration
            {
                Mode = promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                Snaplen = snapLength,
                ReadTimeout = ReadTimeoutMs,
                BufferSize = bufferBytes,
            });
        }
        catch (PcapException e)
        {
            device.Dispose();
            throw OpenFailure(deviceName, e);
        }
        if (!string.IsNullOrWhiteSpace(filter))
        {
            try
            {
                device.Filter = filter;
            }
            catch (PcapException e)
            {
                device.Dispose();
                throw new GoNetToolsException(ErrorIds.InvalidCaptureFilter, FailureKind.InvalidArgument,
                    $"libpcap rejected the filter '{filter}': {FilterMessage(e.Message)}",
                    "Fix the BPF expression (see man pcap-filter), e.g. 'tcp port 443 and host 10.0.0.5'.", e);
            }
        }
        return device;
    }

    private static GoNetToolsException OpenFailure(string deviceName, PcapException e)
    {
        var text = e.Message;
        if (e.Error == PcapError.PermissionDenied || text.Contains("not permitted", StringComparison.OrdinalIgnoreCase)
            || text.Contains("permission", StringComparison.OrdinalIgnoreCase))
        {
            return new GoNetToolsException(ErrorIds.CapturePermissionDenied, FailureKind.PermissionDenied,
                $"Not allowed to capture on '{deviceName}': capturing needs {PrivilegeNeeded()}. libpcap said: {text}", PrivilegeHint(), e);
        }
        return new GoNetToolsException(ErrorIds.CaptureDeviceError, FailureKind.OperationFailed,
            $"libpcap could not open '{deviceName}': {text}", "Check that the adapter is up (Get-NicAdapter).", e);
    }

    private static string PrivilegeNeeded() => PlatformServices.Current switch
    {
        HostOS.Windows => "Administrator",
        HostOS.MacOS => "root or read access to /dev/bpf*",
        _ => "root or the capabilities CAP_NET_RAW and CAP_NET_ADMIN",
    };

    /// <summary>What privilege capture needs, per OS.</summary>
    public static string PrivilegeHint() => PlatformServices.Current switch
    {
        HostOS.Windows => "Run PowerShell as Administrator (or install Npcap without 'Restrict Npcap driver's access to Administrators only').",
        HostOS.MacOS => "Run as root (sudo), or give your user read access to /dev/bpf* (Wireshark's ChmodBPF).",
        _ => "Run as root, or give the host process CAP_NET_RAW and CAP_NET_ADMIN (e.g. sudo setcap cap_net_raw,cap_net_admin+eip on the pwsh binary).",
    };

    /// <summary>SharpPcap wraps libpcap's pcap_geterr text; keep libpcap's words, drop the wrapper's prefix.</summary>
    private static string FilterMessage(string message)
    {
        const string prefix = "Can't compile filter";
        var text = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..].TrimStart(' ', ':', '(').TrimEnd(')') : message;
        return text.Trim();
    }
}
