using System;
using System.IO;
using GoNetTools.Foundation;

namespace GoNetTools.GoModDownload;

/// <summary>Finds the go tool: the test hook path when given, else the first `go` on PATH.</summary>
internal static class GoToolLocator
{
    /// <summary>Runspace variable naming the go executable to use (a path that does not exist simulates a machine without go).</summary>
    public const string OverrideSessionVariable = "GoNetToolsGoPath";

    public static string Find(string? overridePath)
    {
        if (!string.IsNullOrEmpty(overridePath))
        {
            return File.Exists(overridePath) ? overridePath : throw Missing($"The go tool '{overridePath}' does not exist.");
        }
        var name = OperatingSystem.IsWindows() ? "go.exe" : "go";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw Missing("The go tool was not found on PATH.");
    }

    private static GoNetToolsException Missing(string message) =>
        new(ErrorIds.GoToolNotFound, FailureKind.ObjectNotFound, message,
            "Install Go: 'apt-get install golang-go' on Debian/Ubuntu, or the installer from https://go.dev/dl/; then make sure 'go' is on PATH.");
}
