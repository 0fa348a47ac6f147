using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Platform;
using SharpPcap.LibPcap;
using GoNetTools.Foundation;

namespace GoNetTools.Capture;

/// <summary>
/// Turns what the user typed for -Adapter into the adapter name and the device the capture library opens. Adapter
/// names, wildcards and the Wi-Fi/Ethernet aliases go through the module's one lookup (AdapterLookup); libpcap's
/// own pseudo-devices (any, nflog…) are accepted by exact name; where the OS has no adapter back-end yet, libpcap's
/// device list (name or friendly name) answers alone.
/// </summary>
internal static class CaptureAdapterResolver
{
    /// <summary>(adapter name, capture device); throws GoNetToolsException (AdapterNotFound) when nothing matches.</summary>
    public static (string Name, string Device) Resolve(string systemRoot, string requested)
    {
        INicSource source;
        try
        {
            source = PlatformServices.Nic(systemRoot);
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.PlatformNotSupported)
        {
            return FromCaptureLibrary(requested);
        }
        try
        {
            var adapter = AdapterLookup.ResolveOne(source, requested, "a capture");
            return (adapter.Name, adapter.DeviceName.Length > 0 ? adapter.DeviceName : adapter.Name);
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.AdapterNotFound && PcapDeviceOpener.DeviceNames().Contains(requested, StringComparer.Ordinal))
        {
            return (requested, requested);
        }
    }

    private static (string, string) FromCaptureLibrary(string requested)
    {
        var devices = LibPcapLiveDeviceList.New();
        var hit = devices.FirstOrDefault(d => string.Equals(d.Name, requested, StringComparison.OrdinalIgnoreCase))
            ?? devices.FirstOrDefault(d => string.Equals(d.Interface?.FriendlyName, requested, StringComparison.OrdinalIgnoreCase));
        if (hit is null)
        {
            IEnumerable<string> names = devices.Select(d => d.Interface?.FriendlyName is { Length: > 0 } f ? $"{f} ({d.Name})" : d.Name);
            throw new GoNetToolsException(ErrorIds.AdapterNotFound, FailureKind.ObjectNotFound,
                $"No adapter named '{requested}'. Adapters here: {string.Join(", ", names)}.", "Use one of the names listed.");
        }
        return (hit.Interface?.FriendlyName is { Length: > 0 } friendly ? friendly : hit.Name, hit.Name);
    }
}
