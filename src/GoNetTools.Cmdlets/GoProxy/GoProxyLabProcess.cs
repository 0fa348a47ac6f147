using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using GoNetTools.Core.Files;

namespace GoNetTools.GoProxy;

/// <summary>
/// A running lab server process and its control channel: the lab writes one JSON object per line on stdout
/// ("ready", "error", "stats", "ok") and reads commands ("stats", "reset", "quit") on stdin. The lab exits when
/// its stdin closes, so it cannot outlive the process that holds the pipe.
/// </summary>
internal sealed class GoProxyLabProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _control = new();
    private readonly PrivateDirectory _runtime;

    private GoProxyLabProcess(Process process, PrivateDirectory runtime)
    {
        _process = process;
        _runtime = runtime;
        var reader = new Thread(ReadLines) { IsBackground = true, Name = "GoNetTools lab " + process.Id };
        reader.Start();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                if (e.Data is not null && _stderr.Length < 8192)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Url { get; private set; } = "";
    public string? CertificatePath { get; private set; }
    public int ProcessId => _process.Id;
    public string Protocols { get; private set; } = "";
    public string[] Modules { get; private set; } = Array.Empty<string>();
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the lab and waits for its "ready" line; throws <see cref="GoNetToolsException"/> when it cannot start.</summary>
    public static GoProxyLabProcess Start(string dotnet, string labAssembly, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(labAssembly);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        // The lab's CA goes into a private directory of ours (0700, random name), removed when the lab is gone or
        // fails to start: the path SSL_CERT_FILE names can be neither pre-created nor swapped by another user.
        var runtime = PrivateDirectory.Create("lab");
        start.ArgumentList.Add("--certificate-dir");
        start.ArgumentList.Add(runtime.Path);
        start.ArgumentList.Add("--owns-certificate-dir"); // if this process dies first, the lab removes it as it exits
        // The .NET runtime puts its diagnostics socket in TMPDIR: the lab's goes into its private directory as well.
        start.Environment["TMPDIR"] = runtime.Path;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GoNetToolsException(ErrorIds.GoProxyLabStartFailed, FailureKind.ResourceUnavailable, $"'{dotnet}' did not start.");
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
        var lab = new GoProxyLabProcess(process, runtime);
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
            _process.WaitForExit(5000);
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
                _process.StandardInput.WriteLine(command);
                _process.StandardInput.Flush();
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
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
        if (!_process.WaitForExit((int)grace.TotalMilliseconds))
        {
            Kill();
        }
        return final;
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    private string StandardError()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length == 0 ? "" : "Its error output: " + text;
        }
    }

    private void ReadLines()
    {
        try
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                _lines.Add(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process ended.
        }
        finally
        {
            _lines.CompleteAdding();
        }
    }

    /// <summary>Releases the process and removes the lab's private directory (kills the lab first if it still runs).</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _runtime.Dispose();
    }
}
