using System;
using System.Collections.Generic;
using System.IO;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.Tests.Nic;

/// <summary>The NIC fixture trees (tests/fixtures/nic, see its README) and writable copies of them.</summary>
internal static class NicFixtures
{
    public static string Server => Repo.Fixture("nic", "server");
    public static string Laptop => Repo.Fixture("nic", "laptop");
    public static string Vm => Repo.Fixture("nic", "vm");
    public static string Aws => Repo.Fixture("nic", "aws");

    /// <summary>A runspace variable set that points the module at a fixture tree.</summary>
    public static Dictionary<string, object?> Root(string root) => new() { ["GoNetToolsSystemRoot"] = root };
}

/// <summary>A copy of a fixture tree in a temp directory (cp -a keeps the symlinks), deleted on dispose.</summary>
internal sealed class WritableFixture : IDisposable
{
    public WritableFixture(string source)
    {
        Parent = Path.Combine(Path.GetTempPath(), "gnt-nic-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Parent);
        Shell.Run("cp", $"-a \"{source}\" \"{Parent}/\"");
        Root = Path.Combine(Parent, Path.GetFileName(source));
    }

    private string Parent { get; }

    public string Root { get; }

    public string Path_(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    public void Dispose() => Directory.Delete(Parent, recursive: true);
}
