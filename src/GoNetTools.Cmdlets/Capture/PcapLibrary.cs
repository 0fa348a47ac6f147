using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using GoNetTools.Platform;
using GoNetTools.Foundation;

namespace GoNetTools.Capture;

/// <summary>
/// Finds the native capture library before SharpPcap touches it, the way SharpPcap's own resolver does: a list
/// of sonames probed once per process. A missing library is a ResourceUnavailable error from the capture
/// cmdlets, never a failure of Import-Module (SharpPcap is only called after this check succeeds).
/// </summary>
internal static class PcapLibrary
{
    /// <summary>Test hook: environment variable naming the only library to probe (a name that does not exist simulates a machine without libpcap).</summary>
    public const string OverrideVariable = "GONETTOOLS_PCAP_LIBRARY";

    /// <summary>Test hook with the same meaning, scoped to one runspace ($GoNetToolsPcapLibrary).</summary>
    public const string OverrideSessionVariable = "GoNetToolsPcapLibrary";

    private static readonly Lazy<string?> DefaultProbe = new(() => Probe(DefaultNames()));

    /// <summary>The sonames tried, in order, for this OS. Debian/Ubuntu ship libpcap.so.0.8 (a link to 1.x).</summary>
    public static IReadOnlyList<string> DefaultNames() => PlatformServices.Current switch
    {
        HostOS.Windows => new[] { System.IO.Path.Combine(Environment.SystemDirectory, "Npcap", "wpcap.dll"), "wpcap.dll" },
        HostOS.MacOS => new[] { "libpcap.A.dylib", "/usr/lib/libpcap.A.dylib", "libpcap.dylib" },
        _ => new[] { "libpcap.so.1", "libpcap.so.0.8", "libpcap.so" },
    };

    /// <summary>
    /// Throws ResourceUnavailable, naming the package to install, when no capture library loads. With an
    /// override (the test hook) only that name is probed, every time.
    /// </summary>
    public static string EnsureAvailable(string? overrideName)
    {
        if (string.IsNullOrEmpty(overrideName))
        {
            overrideName = Environment.GetEnvironmentVariable(OverrideVariable);
        }
        var names = string.IsNullOrEmpty(overrideName) ? DefaultNames() : new[] { overrideName };
        var found = string.IsNullOrEmpty(overrideName) ? DefaultProbe.Value : Probe(names);
        if (found is null)
        {
            throw new GoNetToolsException(ErrorIds.CaptureLibraryMissing, FailureKind.ResourceUnavailable,
                $"Packet capture needs {LibraryDescription()}, which is not installed (tried {string.Join(", ", names)}).",
                InstallHint());
        }
        return found;
    }

    private static string? Probe(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                // Loaded by path once to prove it is there; SharpPcap's resolver loads it again by its own list.
                NativeLibrary.Free(handle);
                return name;
            }
        }
        return null;
    }

    private static string LibraryDescription() => PlatformServices.Current switch
    {
        HostOS.Windows => "Npcap (wpcap.dll)",
        HostOS.MacOS => "libpcap (libpcap.A.dylib)",
        _ => "libpcap (libpcap.so.1 / libpcap.so.0.8)",
    };

    /// <summary>What to install, per OS.</summary>
    public static string InstallHint() => PlatformServices.Current switch
    {
        HostOS.Windows => "Install Npcap from npcap.com (keep 'WinPcap API-compatible mode' ticked), then run the command again.",
        HostOS.MacOS => "libpcap ships with macOS; reinstall the Command Line Tools or run: brew install libpcap.",
        _ => "Install libpcap: Debian/Ubuntu: sudo apt-get install libpcap0.8; Fedora/RHEL: sudo dnf install libpcap; Alpine: apk add libpcap.",
    };
}
