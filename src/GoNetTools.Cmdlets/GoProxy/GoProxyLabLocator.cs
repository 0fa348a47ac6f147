using System;
using System.IO;
using System.Runtime.InteropServices;

namespace GoNetTools.GoProxy;

/// <summary>
/// Finds the lab server (staged with the module at lab/GoNetTools.Lab.dll) and a `dotnet` host to run it with.
/// The lab needs the .NET 10 runtime with ASP.NET Core; the module itself runs in whatever hosts PowerShell.
/// </summary>
internal static class GoProxyLabLocator
{
    /// <summary>Test and development override: the full path of GoNetTools.Lab.dll.</summary>
    public const string LabPathVariable = "GONETTOOLS_LAB";

    /// <summary>
    /// GONETTOOLS_LAB, else lab/GoNetTools.Lab.dll under the module base PowerShell imported from (when given and
    /// present), else next to this assembly (which a test host may have loaded from elsewhere).
    /// </summary>
    public static string LabAssembly(string? moduleBase)
    {
        var overridden = Environment.GetEnvironmentVariable(LabPathVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        if (!string.IsNullOrEmpty(moduleBase) && File.Exists(Path.Combine(moduleBase, "lab", "GoNetTools.Lab.dll")))
        {
            return Path.Combine(moduleBase, "lab", "GoNetTools.Lab.dll");
        }
        var assemblyDirectory = Path.GetDirectoryName(typeof(GoProxyLabLocator).Assembly.Location) ?? AppContext.BaseDirectory;
        return Path.Combine(assemblyDirectory, "lab", "GoNetTools.Lab.dll");
    }

    /// <summary>DOTNET_HOST_PATH, the muxer above the running runtime, DOTNET_ROOT, then PATH; null when none exists.</summary>
    public static string? DotnetHost()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet (absent when PowerShell is self-contained).
            Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", exe),
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, exe) : null,
        };
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, exe);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
