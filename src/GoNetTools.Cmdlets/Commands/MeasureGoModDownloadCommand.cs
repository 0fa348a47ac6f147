using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Capture;
using GoNetTools.Core.Files;
using GoNetTools.GoModDownload;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>
/// Measure-GoModDownload: runs the real `go mod download -x` with a fresh module cache against a proxy (or a lab
/// started for the run, or a lab piped in) while capturing its traffic, and reports handshakes, connections,
/// requests per connection, lifetimes, TIME_WAIT sides, GOAWAY/RST_STREAM and go's result.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "GoModDownload", DefaultParameterSetName = ProxySet)]
[OutputType(typeof(GoModDownloadMeasurement))]
public sealed class MeasureGoModDownloadCommand : GoNetToolsCmdlet
{
    private const string ProxySet = "Proxy";
    private const string LabSet = "Lab";
    private const string LabObjectSet = "LabObject";

    /// <summary>Modules to download, as path@version.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Module { get; set; }

    /// <summary>A go.mod whose requirements are downloaded (copied, with its go.sum, into a temporary module).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GoMod { get; set; }

    /// <summary>The GOPROXY to measure: a URL such as https://proxy.golang.org, or a list ("https://a,https://b|direct"), as GOPROXY takes it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProxySet)]
    [ValidateNotNullOrEmpty]
    public string? Proxy { get; set; }

    /// <summary>Start a lab GOPROXY for the run (stopped after) and download its catalog unless -Module/-GoMod say otherwise.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabSet)]
    public SwitchParameter Lab { get; set; }

    /// <summary>A running lab from Start-GoProxyLab (any faults, e.g. -Cleartext -GoAwayAfterStreams 2); left running.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GoProxyLab? ProxyLab { get; set; }

    /// <summary>The adapter to capture on; default: the loopback device for a loopback proxy, else "any".</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AdapterNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Adapter { get; set; }

    /// <summary>Keep the capture in this pcap file (it must not exist) instead of deleting it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeepCapture { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var modules = new List<string>(Module ?? Array.Empty<string>());
        foreach (var m in modules.Where(m => m.IndexOf('@') <= 0))
        {
            ThrowTerminating(ErrorIds.InvalidModule, ErrorCategory.InvalidArgument, m,
                $"-Module '{m}' is not path@version.", "Name each module as path@version, e.g. golang.org/x/text@v0.14.0 (or @latest).");
        }
        GoProxyList? proxyList = null;
        if (Proxy is not null)
        {
            try
            {
                proxyList = GoProxyList.Parse(Proxy);
            }
            catch (GoNetToolsException e)
            {
                ThrowTerminating(e, Proxy);
                return;
            }
            if (proxyList.FirstUrl is null)
            {
                ThrowTerminating(ErrorIds.InvalidProxy, ErrorCategory.InvalidArgument, Proxy,
                    $"-Proxy '{Proxy}' names no proxy URL (only '{proxyList}'): go would fetch nothing through a proxy.", "Give a GOPROXY URL such as https://proxy.golang.org.");
            }
        }
        var goMod = GoMod is null ? null : CheckGoMod(GoModPath(GoMod));
        if (ParameterSetName == ProxySet && modules.Count == 0 && goMod is null)
        {
            ThrowTerminating(ErrorIds.GoModDownloadNoModules, ErrorCategory.InvalidArgument, Proxy,
                "Nothing to download: give -Module path@version or -GoMod.", "E.g. Measure-GoModDownload -Proxy https://proxy.golang.org -Module golang.org/x/text@v0.14.0.");
        }
        string go, library, capturePath;
        try
        {
            go = GoToolLocator.Find(TestHook.GoTool.Read(SessionState));
            library = PcapLibrary.EnsureAvailable(TestHook.PcapLibrary.Read(SessionState));
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, e.ErrorId == ErrorIds.GoToolNotFound ? "go" : Adapter);
            return;
        }
        if (KeepCapture is not null && File.Exists(GetUnresolvedProviderPathFromPSPath(KeepCapture)))
        {
            ThrowTerminating(ErrorIds.CaptureFileExists, ErrorCategory.ResourceExists, KeepCapture,
                $"The capture file '{GetUnresolvedProviderPathFromPSPath(KeepCapture)}' already exists.", "Choose another -KeepCapture path or delete the file.");
        }
        // go's workspace, caches and the capture live in one private directory (0700, random name), removed below on
        // every path: nothing of this run is created at a name another user could guess or pre-create.
        PrivateDirectory runtime;
        try
        {
            runtime = PrivateDirectory.Create("gomod");
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, null);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.CaptureFileError, ErrorCategory.WriteError, null,
                $"Cannot make a private working directory: {e.Message}", "Check that /run (root) or $XDG_RUNTIME_DIR / TMPDIR is writable.", e);
            return;
        }
        capturePath = KeepCapture is null ? runtime.PathOf("capture.pcap") : GetUnresolvedProviderPathFromPSPath(KeepCapture);
        GoProxyLab? ownLab = null;
        try
        {
            if (Lab)
            {
                WriteProgress(new ProgressRecord(1, "Measuring go mod download", "Starting a lab GOPROXY"));
                ownLab = GoProxyLabLauncher.Start(new GoProxyLabOptions(), MyInvocation.MyCommand.Module?.ModuleBase, GoProxyLabSession.Owner, CancelToken);
                GoProxyLabSession.Watch();
            }
            var lab = ownLab ?? ProxyLab;
            if (lab is not null && lab.State != GoProxyLabState.Running)
            {
                ThrowTerminating(ErrorIds.GoModDownloadLabNotRunning, ErrorCategory.ResourceUnavailable, lab,
                    $"Lab {lab.Id} ({lab.Url}) is {lab.State}.", "Start one with Start-GoProxyLab, or use -Lab.");
            }
            if (lab is not null && modules.Count == 0 && goMod is null)
            {
                modules.AddRange(lab.Modules);
            }
            Measure(go, library, capturePath, runtime.PathOf("go"), modules, goMod, lab, ownLab is not null, proxyList);
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, e.ErrorId.StartsWith("Capture", StringComparison.Ordinal) || e.ErrorId == ErrorIds.AdapterNotFound ? Adapter ?? "(default adapter)" : (object?)Proxy ?? "lab");
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.CaptureFileError, ErrorCategory.WriteError, capturePath,
                $"The temporary workspace or the capture file could not be used: {e.Message}",
                "Check that the runtime folder (/run/gonettools for root, else $XDG_RUNTIME_DIR or TMPDIR) and the -KeepCapture folder are writable and not full.", e);
        }
        finally
        {
            if (ownLab is not null)
            {
                GoProxyLabRegistry.Stop(ownLab);
            }
            runtime.Dispose();
        }
    }

    private void Measure(string go, string library, string capturePath, string workspace, List<string> modules, string? goMod, GoProxyLab? lab, bool ownLab, GoProxyList? proxyList)
    {
        var environment = lab?.GoEnvironment ?? new Hashtable(StringComparer.Ordinal) { ["GOPROXY"] = proxyList!.ToString() };
        var list = GoProxyList.Parse((string)environment["GOPROXY"]!, "GOPROXY");
        var proxy = list.FirstUrl!;
        var sumDb = environment["GOSUMDB"] as string ?? (Environment.GetEnvironmentVariable("GOSUMDB") is { Length: > 0 } s ? s : "sum.golang.org");
        var urls = list.Urls.ToList();
        var addresses = urls.SelectMany(GoDownloadCapture.Addresses).Distinct().ToList();
        var (adapterName, device) = CaptureAdapterResolver.Resolve(SystemRoot, Adapter ?? GoDownloadCapture.DefaultAdapter(addresses));
        // Every proxy of the list is captured: cmd/go walks it on each 404/410.
        var filter = string.Join(" or ", urls.Select(u => "(" + GoDownloadCapture.Filter(u, GoDownloadCapture.Addresses(u), false) + ")"))
            + (sumDb != "off" ? " or tcp port 443" : "");
        var runner = CaptureRunner.Start(0, new CaptureOptions
        {
            Adapter = adapterName, Device = device, Path = capturePath, Filter = filter, SnapLength = 65535, Library = library,
        });
        lab?.ResetStatistics();
        var log = new GoGetLog();
        GoDownloadProcess? process = null;
        try
        {
            process = GoDownloadProcess.Start(go, modules, goMod, environment, workspace);
            RunWithProgress(process, runner, log, proxy);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GoNetToolsException(ErrorIds.GoToolNotFound, FailureKind.ObjectNotFound, $"'{go}' cannot be run: {e.Message}",
                "Install Go: 'apt-get install golang-go', or see https://go.dev/dl/.", e);
        }
        finally
        {
            process?.Dispose();
            runner.Stop(CaptureRegistry.StopTimeout);
        }
        var statistics = lab is null ? null : ownLab ? GoProxyLabRegistry.Stop(lab) ?? lab.Statistics : lab.Refresh();
        var session = runner.Snapshot();
        var (summary, protocols) = GoDownloadCapture.Analyze(capturePath, CancelToken);
        CancelToken.ThrowIfCancellationRequested();
        var result = GoDownloadResult.Build(list.ToString(), sumDb, goMod is null ? modules.ToArray() : modules.Prepend(goMod).ToArray(),
            process, log, summary, protocols, session, KeepCapture is null ? null : capturePath, statistics);
        WriteObject(result);
        if (!result.Succeeded)
        {
            WriteError(ErrorIds.GoModDownloadFailed, ErrorCategory.InvalidResult, proxy,
                $"go mod download exited with {result.ExitCode}: {string.Join(" | ", result.ErrorTail)}",
                "The measurement above still counts what went over the wire; ErrorTail holds go's messages.");
        }
    }

    private void RunWithProgress(GoDownloadProcess process, CaptureRunner runner, GoGetLog log, Uri proxy)
    {
        var progress = new ProgressRecord(1, "Measuring go mod download", $"go mod download -x via {proxy}");
        while (!process.WaitForExit(250))
        {
            Drain(process, log);
            if (CancelToken.IsCancellationRequested)
            {
                process.Kill();
                throw new OperationCanceledException(CancelToken);
            }
            progress.StatusDescription = $"{log.Requests} requests, {runner.Snapshot().Packets:N0} packets captured";
            WriteProgress(progress);
        }
        Drain(process, log);
        // Let the last FIN/ACKs of the connections go closed at exit reach the capture.
        CancelToken.WaitHandle.WaitOne(300);
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }

    private static void Drain(GoDownloadProcess process, GoGetLog log)
    {
        while (process.Lines.TryDequeue(out var line))
        {
            log.Add(line);
        }
    }

    private string GoModPath(string goMod)
    {
        var path = GetUnresolvedProviderPathFromPSPath(goMod);
        if (Directory.Exists(path))
        {
            var inside = Path.Combine(path, "go.mod");
            if (!File.Exists(inside))
            {
                ThrowTerminating(ErrorIds.GoModNotFound, ErrorCategory.ObjectNotFound, GoMod,
                    $"The folder '{path}' has no go.mod file.", "Give the folder of a Go module (it holds go.mod), or the go.mod file itself; 'go mod init' makes one.");
            }
            return inside;
        }
        return path;
    }

    private string CheckGoMod(string path)
    {
        string text;
        try
        {
            text = RegularFile.ReadAllText(path, 4 << 20);
        }
        catch (FileNotFoundException)
        {
            ThrowTerminating(ErrorIds.GoModNotFound, ErrorCategory.ObjectNotFound, GoMod, $"The go.mod file '{path}' does not exist.",
                "Give the path of a go.mod file or of the folder holding it.");
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, GoMod);
            throw;
        }
        catch (UnauthorizedAccessException e)
        {
            ThrowTerminating(ErrorIds.GoModNotFound, ErrorCategory.PermissionDenied, GoMod, $"'{path}' cannot be read: {e.Message}",
                "Check the file's permissions.", e);
            throw;
        }
        var hasModule = text.Split('\n').Any(l => l.TrimStart().StartsWith("module ", StringComparison.Ordinal));
        if (!hasModule)
        {
            ThrowTerminating(ErrorIds.InvalidGoMod, ErrorCategory.InvalidData, GoMod, $"'{path}' is not a go.mod file: it has no 'module' directive.",
                "Give a go.mod file (it starts with 'module <path>'); 'go mod init' makes one.");
        }
        return path;
    }
}
