using System;
using System.Collections.Generic;
using System.IO;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// What the real peers share within one test run and what is costly to make (module trees filled by `go`, the Go
/// peer binary, the test CAs): one private directory (mkdtemp, mode 0700). Each running peer gets its own private
/// directory besides (<see cref="NewDirectory"/>) and removes it on dispose. Every name carries the creating PID:
/// the test host is ended without ProcessExit handlers running (seen here), so the next run removes the
/// directories whose creator is gone.
/// </summary>
public static class PeerRun
{
    private static readonly string[] Prefixes = { "gnt-peers-run-", "gnt-nginx-", "gnt-gopeer-", "gnt-docroot-" };

    private static readonly Lazy<string> RootDirectory = new(() => NewDirectory("gnt-peers-run-"));

    static PeerRun() => SweepOrphans();

    /// <summary>The run's shared directory.</summary>
    public static string Root => RootDirectory.Value;

    /// <summary>A fresh private directory under the system temp dir ("PREFIX" + PID + "-" + random): mkdtemp, mode 0700.</summary>
    public static string NewDirectory(string prefix) => Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId}-").FullName;

    /// <summary>Writes a file that must not exist yet, with the given mode, never following a planted symlink.</summary>
    public static void WriteNew(string path, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary>The lines of a log a server still has open for append (none when it does not exist yet).</summary>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        var lines = new List<string>();
        if (!File.Exists(path))
        {
            return lines;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Removes the directories of earlier test runs (our prefixes) whose creating process no longer exists.</summary>
    private static void SweepOrphans()
    {
        foreach (var prefix in Prefixes)
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
            {
                var rest = Path.GetFileName(dir)[prefix.Length..];
                var dash = rest.IndexOf('-');
                if (dash > 0 && int.TryParse(rest[..dash], out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
                {
                    TryDelete(dir);
                }
            }
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a temp directory; a process still writing into it is being killed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
