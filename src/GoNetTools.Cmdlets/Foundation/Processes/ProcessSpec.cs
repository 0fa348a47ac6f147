using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GoNetTools.Foundation.Processes;

/// <summary>What <see cref="ChildProcess"/> runs: a program, its arguments, the environment and the folder.</summary>
internal sealed class ProcessSpec
{
    public ProcessSpec(string fileName, IReadOnlyList<string> arguments)
    {
        FileName = fileName;
        Arguments = arguments;
    }

    /// <summary>An absolute path, or a name looked up on PATH.</summary>
    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Set on top of this process's environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Start from an empty environment instead of this process's (then only <see cref="Environment"/> is set).</summary>
    public bool ClearEnvironment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Hand stdout to the caller as a stream (<see cref="ChildProcess.OutputReader"/>) instead of keeping it in memory:
    /// for a large table parsed while it is printed (macOS netstat). The caller must read it to its end or dispose.
    /// </summary>
    public bool StreamStandardOutput { get; init; }

    /// <summary>Bytes kept of each of stdout and stderr; the rest is read and dropped so the child never blocks.</summary>
    public int OutputLimit { get; init; } = 16 << 20;

    /// <summary>Give the child a stdin pipe (<see cref="ChildProcess.StandardInput"/>) instead of /dev/null.</summary>
    public bool StandardInputPipe { get; init; }

    /// <summary>Hears each line the child writes to stdout (without its line end) as it comes, on a reader thread.</summary>
    public Action<string>? StandardOutputLine { get; init; }

    /// <summary>Hears each line the child writes to stderr (without its line end) as it comes, on a reader thread.</summary>
    public Action<string>? StandardErrorLine { get; init; }

    /// <summary>"go build -o /x ." for messages.</summary>
    public string CommandLine => Path.GetFileName(FileName) + (Arguments.Count == 0 ? "" : " " + string.Join(' ', Arguments));

    /// <summary>The "NAME=value" list the child gets.</summary>
    public List<string> EnvironmentBlock()
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!ClearEnvironment)
        {
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                values[(string)entry.Key] = entry.Value as string ?? "";
            }
        }
        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                values.Remove(name);
            }
            else
            {
                values[name] = value;
            }
        }
        var block = new List<string>(values.Count);
        foreach (var (name, value) in values)
        {
            block.Add(name + "=" + value);
        }
        return block;
    }

    /// <summary>The program's full path: as given when rooted, else the first match on the PATH the child will see.</summary>
    public string ResolveFileName()
    {
        if (Path.IsPathRooted(FileName))
        {
            return FileName;
        }
        var path = Environment.TryGetValue("PATH", out var given) && given is not null ? given
            : ClearEnvironment ? "" : System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }
        throw new FileNotFoundException($"'{FileName}' was not found on PATH.", FileName);
    }
}

/// <summary>How a run ended, with what it printed (up to the spec's limit).</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed, bool TimedOut);

/// <summary>What a child printed, shortened for an error message.</summary>
internal static class ProcessOutput
{
    /// <summary>The last <paramref name="lines"/> non-empty lines of <paramref name="text"/>, joined with " | ".</summary>
    public static string Tail(string text, int lines = 5) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
}
