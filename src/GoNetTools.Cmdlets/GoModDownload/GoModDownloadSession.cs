using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GoNetTools.Capture;
using GoNetTools.GoProxy;
using GoNetTools.Foundation;

namespace GoNetTools.GoModDownload;

/// <summary>How a run reports where it is (the cmdlet turns it into Write-Progress on the pipeline thread).</summary>
internal interface IGoModDownloadProgress
{
    void Status(string status);

    void Completed();
}

/// <summary>What one Measure-GoModDownload run needs, bound and validated by the cmdlet.</summary>
internal sealed class GoModDownloadRequest
{
    public required string Go { get; init; }
    public required string Library { get; init; }
    public required string CapturePath { get; init; }
    /// <summary>go's private workspace (GOPATH, caches), inside the run's private directory.</summary>
    public required string Workspace { get; init; }
    public required List<string> Modules { get; init; }
    public string? GoMod { get; init; }
    /// <summary>-Proxy; null with a lab.</summary>
    public GoProxyList? ProxyList { get; init; }
    /// <summary>A running lab piped in: measured, left running.</summary>
    public GoProxyLab? Lab { get; init; }
    /// <summary>-Lab: start a lab for the run (owned by <see cref="LabOwner"/>) and stop it after.</summary>
    public bool StartLab { get; init; }
    public string? ModuleBase { get; init; }
    public Guid LabOwner { get; init; }
    public string? Adapter { get; init; }
    public string SystemRoot { get; init; } = "/";
    /// <summary>The capture is kept (its path goes into the result).</summary>
    public bool KeepCapture { get; init; }
}

/// <summary>
/// Measure-GoModDownload's workflow: lab (when asked) → capture → `go mod download -x` → analysis of the capture.
/// Throws <see cref="GoNetToolsException"/> with the error id, OperationCanceledException on cancel.
/// </summary>
internal static class GoModDownloadSession
{
    /// <summary>Runs the measurement; Proxy is the first proxy URL (the target of a failure report).</summary>
    public static (GoModDownloadMeasurement Result, Uri Proxy) Run(GoModDownloadRequest request, IGoModDownloadProgress progress, CancellationToken cancel)
    {
        GoProxyLab? ownLab = null;
        try
        {
            if (request.StartLab)
            {
                progress.Status("Starting a lab GOPROXY");
                ownLab = GoProxyLabLauncher.Start(new GoProxyLabOptions(), request.ModuleBase, request.LabOwner, cancel);
            }
            var lab = ownLab ?? request.Lab;
            if (lab is not null && lab.State != GoProxyLabState.Running)
            {
                throw new GoNetToolsException(ErrorIds.GoModDownloadLabNotRunning, FailureKind.ResourceUnavailable,
                    $"Lab {lab.Id} ({lab.Url}) is {lab.State}.", "Start one with Start-GoProxyLab, or use -Lab.");
            }
            var modules = request.Modules.Count == 0 && request.GoMod is null && lab is not null ? lab.Modules.ToList() : request.Modules;
            return Measure(request, modules, lab, ownLab is not null, progress, cancel);
        }
        finally
        {
            if (ownLab is not null)
            {
                GoProxyLabRegistry.Stop(ownLab);
            }
        }
    }

    private static (GoModDownloadMeasurement, Uri) Measure(GoModDownloadRequest request, List<string> modules, GoProxyLab? lab, bool ownLab,
        IGoModDownloadProgress progress, CancellationToken cancel)
    {
        var environment = lab?.GoEnvironment ?? new Hashtable(StringComparer.Ordinal) { ["GOPROXY"] = request.ProxyList!.ToString() };
        var list = GoProxyList.Parse((string)environment["GOPROXY"]!, "GOPROXY");
        var proxy = list.FirstUrl!;
        var sumDb = environment["GOSUMDB"] as string ?? (Environment.GetEnvironmentVariable("GOSUMDB") is { Length: > 0 } s ? s : "sum.golang.org");
        var urls = list.Urls.ToList();
        var addresses = urls.SelectMany(GoDownloadCapture.Addresses).Distinct().ToList();
        var (adapterName, device) = CaptureAdapterResolver.Resolve(request.SystemRoot, request.Adapter ?? GoDownloadCapture.DefaultAdapter(addresses));
        // Every proxy of the list is captured: cmd/go walks it on each 404/410.
        var filter = string.Join(" or ", urls.Select(u => "(" + GoDownloadCapture.Filter(u, GoDownloadCapture.Addresses(u), false) + ")"))
            + (sumDb != "off" ? " or tcp port 443" : "");
        var runner = CaptureRunner.Start(0, new CaptureOptions
        {
            Adapter = adapterName, Device = device, Path = request.CapturePath, Filter = filter, SnapLength = 65535, Library = request.Library,
        });
        lab?.ResetStatistics();
        var log = new GoGetLog();
        GoDownloadProcess? process = null;
        try
        {
            process = GoDownloadProcess.Start(request.Go, modules, request.GoMod, environment, request.Workspace);
            RunWithProgress(process, runner, log, progress, cancel);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GoNetToolsException(ErrorIds.GoToolNotFound, FailureKind.ObjectNotFound, $"'{request.Go}' cannot be run: {e.Message}",
                "Install Go: 'apt-get install golang-go', or see https://go.dev/dl/.", e);
        }
        finally
        {
            process?.Dispose();
            runner.Stop(CaptureRegistry.StopTimeout);
        }
        var statistics = lab is null ? null : ownLab ? GoProxyLabRegistry.Stop(lab) ?? lab.Statistics : lab.Refresh();
        var session = runner.Snapshot();
        var (summary, protocols) = GoDownloadCapture.Analyze(request.CapturePath, cancel);
        cancel.ThrowIfCancellationRequested();
        var result = GoDownloadResult.Build(list.ToString(), sumDb, request.GoMod is null ? modules.ToArray() : modules.Prepend(request.GoMod).ToArray(),
            process, log, summary, protocols, session, request.KeepCapture ? request.CapturePath : null, statistics);
        return (result, proxy);
    }

    private static void RunWithProgress(GoDownloadProcess process, CaptureRunner runner, GoGetLog log, IGoModDownloadProgress progress, CancellationToken cancel)
    {
        while (!process.WaitForExit(250))
        {
            Drain(process, log);
            if (cancel.IsCancellationRequested)
            {
                process.Kill();
                throw new OperationCanceledException(cancel);
            }
            progress.Status($"{log.Requests} requests, {runner.Snapshot().Packets:N0} packets captured");
        }
        Drain(process, log);
        // Let the last FIN/ACKs of the connections go closed at exit reach the capture.
        cancel.WaitHandle.WaitOne(300);
        progress.Completed();
    }

    private static void Drain(GoDownloadProcess process, GoGetLog log)
    {
        while (process.Lines.TryDequeue(out var line))
        {
            log.Add(line);
        }
    }
}
