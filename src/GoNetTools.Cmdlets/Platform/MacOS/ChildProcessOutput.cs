using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// A command-line tool run for its output (macOS netstat) through the one runner, <see cref="ChildProcess"/>, with
/// stdout streamed so a large table is parsed while it is printed. Standard error is kept on the side and put in the
/// error when the tool fails. Disposing before the end kills the child's process group: a consumer that stops early
/// (Select-Object -First) must not leave netstat running.
/// </summary>
internal sealed class ChildProcessOutput : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _child;
    private readonly string _errorId;

    private ChildProcessOutput(ChildProcess child, string errorId)
    {
        _child = child;
        _errorId = errorId;
    }

    /// <summary>Standard output of the running tool.</summary>
    public TextReader Output => _child.OutputReader!;

    /// <summary>Starts <paramref name="fileName"/>; a tool that cannot be started throws ResourceUnavailable under <paramref name="errorId"/>.</summary>
    public static ChildProcessOutput Start(string fileName, IReadOnlyList<string> arguments, string errorId)
    {
        // The C locale keeps numbers free of thousands separators and the texts in English, as the parsers expect.
        var spec = new ProcessSpec(fileName, arguments)
        {
            StreamStandardOutput = true,
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
        };
        try
        {
            return new ChildProcessOutput(ChildProcess.Start(spec), errorId);
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException)
        {
            throw new GoNetToolsException(errorId, FailureKind.ResourceUnavailable,
                $"Cannot run '{spec.CommandLine}': {e.Message}.", $"{fileName} ships with macOS; check that it exists and is executable.", e);
        }
    }

    /// <summary>After the output was read to its end: waits for the exit and throws when the tool failed.</summary>
    public void Finish()
    {
        if (!_child.WaitForExit(ExitTimeout, CancellationToken.None))
        {
            throw new GoNetToolsException(_errorId, FailureKind.OperationTimeout,
                $"'{_child.Spec.CommandLine}' did not finish within {ExitTimeout.TotalSeconds:0} s.", "Run the command again.");
        }
        if (_child.ExitCode != 0)
        {
            var errors = _child.StandardError.Trim();
            throw new GoNetToolsException(_errorId, FailureKind.OperationFailed,
                $"'{_child.Spec.CommandLine}' failed with exit code {_child.ExitCode}{(errors.Length > 0 ? ": " + errors : ".")}",
                "Run the same command in a terminal to see what it needs.");
        }
    }

    /// <summary>Kills the tool and its group if it is still running, then releases it.</summary>
    public void Dispose() => _child.Dispose();
}
