using System;
using System.ComponentModel;
using System.Diagnostics;

namespace GoNetTools.Foundation.Processes;

/// <summary>Windows: no process groups to signal, so the child's tree is killed (Process.Kill(entireProcessTree)).</summary>
internal sealed partial class ChildProcess
{
    private Process? _process;

    private void StartWindows()
    {
        var start = new ProcessStartInfo(Spec.ResolveFileName())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = Spec.WorkingDirectory ?? "",
        };
        foreach (var argument in Spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (Spec.ClearEnvironment)
        {
            start.Environment.Clear();
        }
        foreach (var (name, value) in Spec.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _clock.Start();
        process.Start();
        _process = process;
        _pid = process.Id;
        if (Spec.StandardInputPipe)
        {
            StandardInput = process.StandardInput.BaseStream;
        }
        else
        {
            process.StandardInput.Close();
        }
        var readers = Spec.StreamStandardOutput
            ? new[] { _stderr.StartReading(process.StandardError.BaseStream) }
            : new[] { _stdout.StartReading(process.StandardOutput.BaseStream), _stderr.StartReading(process.StandardError.BaseStream) };
        if (Spec.StreamStandardOutput)
        {
            OutputReader = process.StandardOutput;
        }
        process.Exited += (_, _) =>
        {
            Elapsed = _clock.Elapsed;
            foreach (var reader in readers)
            {
                reader.Join(TimeSpan.FromSeconds(5));
            }
            lock (_gate)
            {
                ExitCode = process.ExitCode;
                _reaped = true;
            }
            SetExited();
        };
    }

    private void KillWindows()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private void DisposeWindows() => _process?.Dispose();
}
