using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// fwupd's view of pending firmware updates: `fwupdmgr get-updates --json` (read only: GoNetTools never installs).
/// The JSON is {"Devices": [{"Name", "Vendor", "Version", "Releases": [{"Version"}, …]}]}, newest release first
/// (fwupd src/fu-util.c, fwupd_device_to_json); exit code 2 means "nothing to do" (EXIT_NOTHING_TO_DO).
/// </summary>
internal static class FwupdUpdates
{
    private const int NothingToDo = 2;

    /// <summary>Asks fwupdmgr when it is installed; null with a gap when it is absent or its daemon cannot be reached.</summary>
    public static IReadOnlyList<WorkstationFirmwareUpdate>? Ask(List<WorkstationGap> gaps, CancellationToken cancel)
    {
        var spec = new ProcessSpec("fwupdmgr", new[] { "get-updates", "--json", "--no-unreported-check", "--no-metadata-check" })
        {
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
        };
        ProcessResult result;
        try
        {
            result = ChildProcess.Run(spec, TimeSpan.FromSeconds(60), cancel);
        }
        catch (FileNotFoundException)
        {
            gaps.Add(Gap("fwupdmgr is not installed, so pending firmware updates are not known (apt-get install fwupd)"));
            return null;
        }
        if (result.TimedOut)
        {
            gaps.Add(Gap("fwupdmgr get-updates did not answer within 60 s"));
            return null;
        }
        if (result.ExitCode == NothingToDo)
        {
            return Array.Empty<WorkstationFirmwareUpdate>();
        }
        if (result.ExitCode != 0)
        {
            var why = (result.StandardError + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            gaps.Add(Gap($"fwupdmgr get-updates failed with exit code {result.ExitCode}{(why is null ? "" : ": " + why)} (is the fwupd daemon running?)"));
            return null;
        }
        return Parse(result.StandardOutput, gaps);
    }

    /// <summary>Devices with at least one release newer than what is installed; malformed JSON gives a gap.</summary>
    public static IReadOnlyList<WorkstationFirmwareUpdate>? Parse(string json, List<WorkstationGap> gaps)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Devices", out var devices)
                || devices.ValueKind != JsonValueKind.Array)
            {
                return Array.Empty<WorkstationFirmwareUpdate>();
            }
            var result = new List<WorkstationFirmwareUpdate>();
            foreach (var device in devices.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object))
            {
                var releases = device.TryGetProperty("Releases", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : new();
                if (releases.Count == 0)
                {
                    continue;
                }
                result.Add(new WorkstationFirmwareUpdate
                {
                    Device = Text(device, "Name") ?? Text(device, "DeviceId") ?? "(unnamed device)",
                    Vendor = Text(device, "Vendor"),
                    CurrentVersion = Text(device, "Version"),
                    AvailableVersion = Text(releases[0], "Version"),
                });
            }
            return result;
        }
        catch (JsonException e)
        {
            gaps.Add(Gap($"fwupdmgr's JSON could not be read: {e.Message}"));
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static WorkstationGap Gap(string reason) => new() { Area = WorkstationArea.Firmware, Item = "pending firmware updates", Reason = reason };
}
