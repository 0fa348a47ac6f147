using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using GoNetTools.Analysis;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// -Path / -LiteralPath binding, file resolution through the session, and the streaming read loop shared by
/// the capture-analysis cmdlets. Each file gets its own analysis; one bad file is an error for that file only, and a
/// path that is not a regular file (FIFO, socket, device, directory) is refused before it is opened, so nothing blocks.
/// </summary>
public abstract class CaptureFileCommandBase : GoNetToolsCmdlet
{
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Capture files (pcap or pcapng); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Capture files, taken exactly as written (no wildcards); binds Get-ChildItem output (PSPath) and FileInfo (FullName).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>What the analysis should yield for this cmdlet.</summary>
    private protected abstract AnalysisOutputs Outputs { get; }

    /// <summary>Progress activity text.</summary>
    private protected abstract string Activity { get; }

    /// <summary>Handles one analysed object (write it, filter it or fold it).</summary>
    private protected abstract void OnResult(object result);

    /// <summary>Called after each file is read whole (or as far as it could be).</summary>
    private protected virtual void OnFileDone(string path, CaptureAnalyzer analyzer)
    {
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var file in ResolveFiles())
        {
            Analyze(file);
        }
    }

    private List<string> ResolveFiles()
    {
        var files = new List<string>();
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var input in literal ? LiteralPath : Path)
        {
            try
            {
                if (!literal && WildcardPattern.ContainsWildcardCharacters(input))
                {
                    files.AddRange(GetResolvedProviderPathFromPSPath(input, out _));
                    continue;
                }
                var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
                if (File.Exists(path) || Directory.Exists(path))
                {
                    files.Add(path); // a directory, FIFO or device is refused by Analyze with its own error
                    continue;
                }
                WriteError(ErrorIds.CaptureFileNotFound, ErrorCategory.ObjectNotFound, input,
                    $"Capture file '{input}' was not found.", "Check the path; Get-ChildItem *.pcap* lists the captures in a folder.");
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException or ArgumentException)
            {
                WriteError(ErrorIds.CaptureFileNotFound, ErrorCategory.ObjectNotFound, input,
                    $"Capture file '{input}' was not found: {e.Message}", "Check the path; use -LiteralPath for names with [ or ].", e);
            }
        }
        return files;
    }

    private void Analyze(string file)
    {
        FileStream stream;
        try
        {
            // A FIFO, socket, device or directory is refused before any open that could block (NotARegularFile).
            stream = RegularFile.OpenRead(file, 1, FileOptions.SequentialScan);
        }
        catch (GoNetToolsException e)
        {
            WriteError(ErrorFactory.Create(e, file));
            return;
        }
        catch (FileNotFoundException e)
        {
            WriteError(ErrorIds.CaptureFileNotFound, ErrorCategory.ObjectNotFound, file, $"Capture file '{file}' was not found: {e.Message}",
                "Check the path; Get-ChildItem *.pcap* lists the captures in a folder.", e);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            WriteError(ErrorIds.CaptureReadFailed, ErrorCategory.PermissionDenied, file, $"Cannot open '{file}': {e.Message}",
                "Check the file's permissions (captures written by root are often 0600): run as root or copy it.", e);
            return;
        }
        catch (IOException e)
        {
            WriteError(ErrorIds.CaptureReadFailed, ErrorCategory.ReadError, file, $"Cannot open '{file}': {e.Message}",
                "Check that the disk and file system are healthy.", e);
            return;
        }
        using (stream)
        {
            CaptureReader reader;
            try
            {
                reader = CaptureReader.Open(stream, file);
            }
            catch (GoNetToolsException e)
            {
                WriteError(ErrorFactory.Create(e, file));
                return;
            }
            catch (IOException e)
            {
                WriteError(ErrorIds.CaptureReadFailed, ErrorCategory.ReadError, file, $"Reading '{file}' failed: {e.Message}", null, e);
                return;
            }
            var analyzer = new CaptureAnalyzer(file, Outputs);
            var length = Math.Max(1, stream.Length);
            using var progress = StartProgress(Activity, System.IO.Path.GetFileName(file));
            try
            {
                foreach (var result in analyzer.Run(reader, CancelToken))
                {
                    OnResult(result);
                    if (progress.Due(TimeSpan.FromMilliseconds(500)))
                    {
                        progress.Show($"{System.IO.Path.GetFileName(file)}: {analyzer.Packets:N0} packets", (int)(analyzer.Position * 100 / length));
                    }
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (IOException e)
            {
                WriteError(ErrorIds.CaptureReadFailed, ErrorCategory.ReadError, file, $"Reading '{file}' failed after {analyzer.Packets} packets: {e.Message}", null, e);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The parsers are written never to throw on bad bytes; if one does, say where rather than crash.
                WriteError(ErrorIds.CaptureReadFailed, ErrorCategory.InvalidData, file,
                    $"Analysing '{file}' failed at packet {analyzer.Packets}: {e.Message}",
                    "Report this with the capture file; Get-TcpFlow on a tcpdump -r … -w copy of the packets before it may still work.", e);
                return;
            }
            progress.Dispose();
            if (analyzer.Warning is { } warning)
            {
                WriteWarning($"{file}: {warning}");
            }
            if (analyzer.UnsupportedLinkPackets > 0)
            {
                WriteWarning($"{file}: {analyzer.UnsupportedLinkPackets} packets have a link type GoNetTools does not decode (supported: Ethernet, Linux cooked v1/v2, raw IP, BSD loopback).");
            }
            OnFileDone(file, analyzer);
        }
    }
}
