using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// A command-line tool run for its output (macOS netstat), read as a stream so a large table is parsed while
/// it is printed. Standard error is collected on the side (an undrained pipe would block the child) and put in
/// the error when the tool fails. Disposing before the end kills the child: a consumer that stops early
/// (Select-Object -First) must not leave netstat running.
/// </summary>
internal sealed class ChildProcessOutput : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly string _commandLine;
    private readonly string _errorId;

    private ChildProcessOutput(Process process, string commandLine, string errorId)
    {
        _process = process;
        _commandLine = commandLine;
        _errorId = errorId;
    }

    /// <summary>Standard output of the running tool.</summary>
    public TextReader Output => _process.StandardOutput;

    /// <summary>Starts <paramref name="fileName"/>; a tool that cannot be started throws ResourceUnavailable under <paramref name="errorId"/>.</summary>
    public static ChildProcessOutput Start(string fileName, IReadOnlyList<string> arguments, string errorId)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // The C locale keeps numbers free of thousands separators and the texts in English, as the parsers expect.
        info.Environment["LC_ALL"] = "C";
        var commandLine = fileName + " " + string.Join(' ', arguments);
        var process = new Process { StartInfo = info };
        var output = new ChildProcessOutput(process, commandLine, errorId);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output._errors)
                {
                    output._errors.AppendLine(e.Data);
                }
            }
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new GoNetToolsException(errorId, FailureKind.ResourceUnavailable,
                $"Cannot run '{commandLine}': {e.Message}.", $"{fileName} ships with macOS; check that it exists and is executable.", e);
        }
        process.BeginErrorReadLine();
        return output;
    }

    /// <summary>After the output was read to its end: waits for the exit and throws when the tool failed.</summary>
    public void Finish()
    {
        if (!_process.WaitForExit(ExitTimeout))
        {
            throw new GoNetToolsException(_errorId, FailureKind.OperationTimeout,
                $"'{_commandLine}' did not finish within {ExitTimeout.TotalSeconds:0} s.", "Run the command again.");
        }
        _process.WaitForExit(); // also waits for the standard error reader to drain
        if (_process.ExitCode != 0)
        {
            string errors;
            lock (_errors)
            {
                errors = _errors.ToString().Trim();
            }
            throw new GoNetToolsException(_errorId, FailureKind.OperationFailed,
                $"'{_commandLine}' failed with exit code {_process.ExitCode}{(errors.Length > 0 ? ": " + errors : ".")}",
                "Run the same command in a terminal to see what it needs.");
        }
    }

    /// <summary>Kills the tool if it is still running, then releases it.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // already gone or never started: nothing left to stop
        }
        _process.Dispose();
    }
}
