using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation.Processes;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>
/// A running lab server process and its control channel: the lab writes one JSON object per line on stdout
/// ("ready", "error", "stats", "ok") and reads commands ("stats", "reset", "quit") on stdin. The lab exits when
/// its stdin closes, so it cannot outlive the process that holds the pipe.
/// </summary>
internal sealed class GoProxyLabProcess : IDisposable
{
    /// <summary>Bytes of the lab's stderr kept for an error message (its stdout is heard line by line).</summary>
    private const int KeptOutput = 8192;

    private readonly ChildProcess _process;
    private readonly BlockingCollection<string> _lines;
    private readonly StreamWriter _input;
    private readonly object _control = new();
    private readonly PrivateDirectory _runtime;

    private GoProxyLabProcess(ChildProcess process, BlockingCollection<string> lines, PrivateDirectory runtime)
    {
        _process = process;
        _lines = lines;
        _runtime = runtime;
        _input = new StreamWriter(process.StandardInput!, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        // Every line is delivered before the runner reports the exit: then no more will come.
        var ended = new Thread(() =>
        {
            try
            {
                process.WaitForExit(Timeout.InfiniteTimeSpan, CancellationToken.None);
            }
            catch (ObjectDisposedException)
            {
                // Disposed: it exited and was reaped first.
            }
            _lines.CompleteAdding();
        })
        { IsBackground = true, Name = "GoNetTools lab " + process.Id };
        ended.Start();
    }

    public string Url { get; private set; } = "";
    public string? CertificatePath { get; private set; }
    public int ProcessId => _process.Id;
    public string Protocols { get; private set; } = "";
    public string[] Modules { get; private set; } = Array.Empty<string>();
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the lab (with Core/Processes, the one runner: its own process group, a stdin pipe) and waits for its
    /// "ready" line; throws <see cref="GoNetToolsException"/> when it cannot start, Win32Exception when dotnet cannot run.
    /// </summary>
    public static GoProxyLabProcess Start(string dotnet, string labAssembly, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancel)
    {
        // The lab's CA goes into a private directory of ours (0700, random name), removed when the lab is gone or
        // fails to start: the path SSL_CERT_FILE names can be neither pre-created nor swapped by another user.
        var runtime = PrivateDirectory.Create("lab");
        var argv = new List<string> { labAssembly };
        argv.AddRange(arguments);
        argv.AddRange(new[] { "--certificate-dir", runtime.Path, "--owns-certificate-dir" }); // if this process dies first, the lab removes it as it exits
        var lines = new BlockingCollection<string>();
        var spec = new ProcessSpec(dotnet, argv)
        {
            // The .NET runtime puts its diagnostics socket in TMPDIR: the lab's goes into its private directory as well.
            Environment = new Dictionary<string, string?> { ["TMPDIR"] = runtime.Path },
            StandardInputPipe = true,
            OutputLimit = KeptOutput,
            StandardOutputLine = line =>
            {
                try
                {
                    lines.Add(line);
                }
                catch (InvalidOperationException)
                {
                    // Completed: the lab is gone.
                }
            },
        };
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(spec);
        }
        catch (FileNotFoundException e)
        {
            runtime.Dispose();
            throw new System.ComponentModel.Win32Exception(2, e.Message);
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
        var lab = new GoProxyLabProcess(process, lines, runtime);
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(timeout);
            string? line = null;
            try
            {
                line = lab._lines.Take(wait.Token);
            }
            catch (InvalidOperationException)
            {
                // Output ended: the lab exited before saying anything.
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new GoNetToolsException(ErrorIds.GoProxyLabStartFailed, FailureKind.OperationTimeout,
                    $"The lab GOPROXY did not report ready within {timeout.TotalSeconds:0} s. {lab.StandardError()}");
            }
            lab.OnFirstLine(line);
            return lab;
        }
        catch
        {
            lab.Kill();
            lab.Dispose();
            throw;
        }
    }

    private void OnFirstLine(string? line)
    {
        if (line is null)
        {
            _process.WaitForExit(TimeSpan.FromSeconds(5), CancellationToken.None);
            throw new GoNetToolsException(ErrorIds.GoProxyLabStartFailed, FailureKind.ResourceUnavailable,
                $"The lab GOPROXY exited before it was ready (exit code {(_process.HasExited ? _process.ExitCode : -1)}). {StandardError()}",
                "The lab needs the .NET 10 runtime with ASP.NET Core (Microsoft.AspNetCore.App); check `dotnet --list-runtimes`.");
        }
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.GetProperty("type").GetString() == "error")
        {
            throw LabError(root.GetProperty("code").GetString() ?? "", root.GetProperty("message").GetString() ?? "");
        }
        Url = root.GetProperty("url").GetString() ?? "";
        CertificatePath = root.TryGetProperty("caPath", out var ca) && ca.ValueKind == JsonValueKind.String ? ca.GetString() : null;
        Protocols = root.GetProperty("protocols").GetString() ?? "";
        Modules = root.GetProperty("modules").EnumerateArray().Select(m => m.GetString() ?? "").ToArray();
    }

    private static GoNetToolsException LabError(string code, string message) => code switch
    {
        "PortInUse" => new(ErrorIds.GoProxyLabPortInUse, FailureKind.ResourceUnavailable, message, "Choose another -Port, or leave -Port out for a free one."),
        "ModuleRootNotFound" => new(ErrorIds.GoProxyLabModuleRootNotFound, FailureKind.ObjectNotFound, message, "Give a directory in the GOMODCACHE layout, e.g. $(go env GOMODCACHE)/cache/download."),
        "ModuleRootEmpty" => new(ErrorIds.GoProxyLabModuleRootEmpty, FailureKind.InvalidData, message, "A module root holds <module>/@v/ directories with .info, .mod and .zip files; run `go mod download` to fill one."),
        "ModuleRootUnreadable" => new(ErrorIds.GoProxyLabModuleRootNotFound, FailureKind.PermissionDenied, message),
        "InvalidArgument" => new(ErrorIds.GoProxyLabStartFailed, FailureKind.InvalidArgument, message),
        _ => new(ErrorIds.GoProxyLabStartFailed, FailureKind.ResourceUnavailable, message),
    };

    /// <summary>The lab's counters now; false when it does not answer in time (stopped, exited, hung).</summary>
    public bool TryQueryStatistics(TimeSpan timeout, out GoProxyLabStatistics statistics)
    {
        statistics = new GoProxyLabStatistics();
        var line = Command("stats", "stats", timeout);
        if (line is null)
        {
            return false;
        }
        statistics = GoProxyLabStatisticsParser.Parse(line);
        return true;
    }

    public bool ResetStatistics(TimeSpan timeout) => Command("reset", "ok", timeout) is not null;

    private string? Command(string command, string answerType, TimeSpan timeout)
    {
        lock (_control)
        {
            if (_process.HasExited)
            {
                return null;
            }
            try
            {
                _input.WriteLine(command);
                var deadline = DateTime.UtcNow + timeout;
                while (DateTime.UtcNow < deadline)
                {
                    if (!_lines.TryTake(out var line, deadline - DateTime.UtcNow))
                    {
                        return null;
                    }
                    if (line.Contains($"\"type\":\"{answerType}\"", StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                return null;
            }
            return null;
        }
    }

    /// <summary>Final counts, then closes the lab's stdin (it stops itself) and kills it if it does not exit in time.</summary>
    public GoProxyLabStatistics? Stop(TimeSpan grace)
    {
        GoProxyLabStatistics? final = TryQueryStatistics(TimeSpan.FromSeconds(2), out var s) ? s : null;
        lock (_control)
        {
            try
            {
                _input.Dispose();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
        if (!_process.WaitForExit(grace, CancellationToken.None))
        {
            Kill();
        }
        return final;
    }

    /// <summary>Kills the lab (its process group) and waits until it is reaped.</summary>
    public void Kill() => _process.Kill();

    private string StandardError()
    {
        var text = _process.StandardError.Trim();
        return text.Length == 0 ? "" : "Its error output: " + text;
    }

    /// <summary>Releases the process and removes the lab's private directory (kills the lab first if it still runs).</summary>
    public void Dispose()
    {
        _process.Dispose();
        _runtime.Dispose();
    }
}
