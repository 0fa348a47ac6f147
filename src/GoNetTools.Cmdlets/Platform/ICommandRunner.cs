using System;
using System.ComponentModel;
using System.IO;
using System.Threading;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.Platform;

/// <summary>Runs an OS tool (netsh, sysctl) and returns its exit code and output; tests pass recorded outputs instead.</summary>
internal interface ICommandRunner
{
    (int ExitCode, string Output) Run(string file, string arguments);
}

/// <summary>
/// The real runner, on the one process runner (<see cref="ChildProcess"/>: its own process group, killed with it):
/// stdout and stderr together, <see cref="Timeout"/> at most. The arguments are split on spaces — the callers'
/// arguments (netsh, sysctl, system_profiler) never hold a quoted space.
/// </summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public (int ExitCode, string Output) Run(string file, string arguments)
    {
        var result = RunTool(file, arguments, Timeout, out var problem);
        return result is null ? (-1, problem!)
            : result.TimedOut ? (-1, $"{file} {arguments} did not finish in {Timeout.TotalSeconds:0} s")
            : (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    /// <summary>Runs <paramref name="file"/> to its end or <paramref name="timeout"/>; null with the reason when it cannot be started.</summary>
    public static ProcessResult? RunTool(string file, string arguments, TimeSpan timeout, out string? problem)
    {
        problem = null;
        try
        {
            return ChildProcess.Run(new ProcessSpec(file, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)), timeout, CancellationToken.None);
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException)
        {
            problem = $"{file} could not be started: {e.Message}";
            return null;
        }
    }
}
