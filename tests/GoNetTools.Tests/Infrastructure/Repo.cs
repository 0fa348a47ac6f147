using System;
using System.IO;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>Paths tests need: the repository root, the staged module, the fixtures and the built host.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ModuleManifest => Path.Combine(Root, "out", "GoNetTools", "GoNetTools.psd1");

    public static string ModuleDirectory => Path.Combine(Root, "out", "GoNetTools");

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Fixture(params string[] parts) => Path.Combine(Fixtures, Path.Combine(parts));

    /// <summary>The staged pwsh ($PSHOME): out/pwsh, built by GoNetTools.Host.</summary>
    public static string PwshHome => Path.Combine(Root, "out", "pwsh");

    /// <summary>The gonettools apphost, as users run it (./gonettools execs it).</summary>
    public static string Host => Path.Combine(PwshHome, "gonettools");

    /// <summary>gonettools.dll in out/pwsh, for `dotnet gonettools.dll` runs (the same program as <see cref="Host"/>).</summary>
    public static string HostDll => Path.Combine(PwshHome, "gonettools.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GoNetTools.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("GoNetTools.sln not found above " + AppContext.BaseDirectory);
    }
}
