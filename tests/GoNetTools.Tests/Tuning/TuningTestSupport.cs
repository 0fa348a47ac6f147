using System;
using System.Collections.Generic;
using System.IO;
using GoNetTools.Platform;
using GoNetTools.Platform.Windows;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.Tests.Tuning;

/// <summary>A temp copy of a fixture tree; deleted on dispose.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree(string? fixture = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "gnt-tuning-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        if (fixture is not null)
        {
            Copy(Repo.Fixture(fixture.Split('/')), Root);
        }
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        File.WriteAllText(PathOf(relative), content);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to));
        }
    }
}

/// <summary>Recorded netsh/sysctl outputs by argument line; writes are logged.</summary>
internal sealed class RecordedRunner : ICommandRunner
{
    public Dictionary<string, (int, string)> Outputs { get; } = new();
    public List<string> Calls { get; } = new();

    public (int ExitCode, string Output) Run(string file, string arguments)
    {
        Calls.Add($"{file} {arguments}");
        return Outputs.TryGetValue($"{file} {arguments}", out var output) ? output : (1, $"no recording for {file} {arguments}");
    }
}

/// <summary>An in-memory HKLM.</summary>
internal sealed class FakeRegistry : IRegistryValues
{
    public Dictionary<string, int> Values { get; } = new();

    public int? GetDword(string subKey, string name) => Values.TryGetValue($@"{subKey}\{name}", out var v) ? v : null;

    public void SetDword(string subKey, string name, int value) => Values[$@"{subKey}\{name}"] = value;

    public void DeleteValue(string subKey, string name) => Values.Remove($@"{subKey}\{name}");
}
