using System;
using System.Diagnostics;

namespace GoNetTools.Platform;

/// <summary>Runs an OS tool (netsh, sysctl) and returns its exit code and output; tests pass recorded outputs instead.</summary>
internal interface ICommandRunner
{
    (int ExitCode, string Output) Run(string file, string arguments);
}

/// <summary>The real runner: a child process, stdout and stderr together, 30 s at most.</summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    public (int ExitCode, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} {arguments} did not finish in 30 s");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} could not be started: {e.Message}");
        }
    }
}
