using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Capture;
using GoNetTools.Foundation.Files;
using GoNetTools.GoModDownload;
using GoNetTools.GoProxy;
using GoNetTools.Foundation;

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
        try
        {
            var request = new GoModDownloadRequest
            {
                Go = go, Library = library, CapturePath = capturePath, Workspace = runtime.PathOf("go"), Modules = modules, GoMod = goMod,
                ProxyList = proxyList, Lab = ProxyLab, StartLab = Lab, ModuleBase = MyInvocation.MyCommand.Module?.ModuleBase,
                LabOwner = SessionOwner.Current, Adapter = Adapter, SystemRoot = SystemRoot, KeepCapture = KeepCapture is not null,
            };
            if (Lab)
            {
                SessionOwner.Watch();
            }
            using var progress = StartProgress("Measuring go mod download", "Starting");
            var (result, proxy) = GoModDownloadSession.Run(request, new Progress(progress), CancelToken);
            WriteObject(result);
            if (!result.Succeeded)
            {
                WriteError(ErrorIds.GoModDownloadFailed, ErrorCategory.InvalidResult, proxy,
                    $"go mod download exited with {result.ExitCode}: {string.Join(" | ", result.ErrorTail)}",
                    "The measurement above still counts what went over the wire; ErrorTail holds go's messages.");
            }
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, e.ErrorId == ErrorIds.GoModDownloadLabNotRunning ? ProxyLab ?? (object)"lab"
                : e.ErrorId.StartsWith("Capture", StringComparison.Ordinal) || e.ErrorId == ErrorIds.AdapterNotFound ? Adapter ?? "(default adapter)" : (object?)Proxy ?? "lab");
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
            runtime.Dispose();
        }
    }

    /// <summary>The run's progress as Write-Progress (the session calls back on the pipeline thread).</summary>
    private sealed class Progress(ProgressWait wait) : IGoModDownloadProgress
    {
        public void Status(string status) => wait.Show(status);

        public void Completed() => wait.Dispose();
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
        try
        {
            // The one go.mod reader (Test-GoProxyStability's too): InvalidGoMod when there is no module line.
            GoModFile.Parse(text, $"'{path}'");
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, GoMod);
            throw;
        }
        return path;
    }
}
