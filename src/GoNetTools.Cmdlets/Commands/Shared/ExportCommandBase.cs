using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// Base of the report and metrics cmdlets: takes GoNetTools objects from the pipeline (an unknown type is one
/// UnsupportedInput error per type, and the rest goes on), and writes the output file safely (see <see cref="OutputFile"/>).
/// </summary>
public abstract class ExportCommandBase : GoNetToolsCmdlet
{
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lostWarned = new(StringComparer.Ordinal);

    /// <summary>GoNetTools output objects, usually from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Objects taken so far.</summary>
    private protected int Taken { get; private set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject.Where(i => i is not null))
        {
            var lost = new List<string>();
            var input = DeserializedInput.TryRebuild(item, out var live, lost) ? live : item.BaseObject;
            foreach (var path in lost.Distinct(StringComparer.Ordinal).Where(_lostWarned.Add))
            {
                WriteWarning($"{path} came back from the job or remote session as text (beyond its serialization depth) and is left out.");
            }
            if (Accept(input))
            {
                Taken++;
                continue;
            }
            var name = item.TypeNames.FirstOrDefault() ?? item.BaseObject.GetType().FullName ?? "?";
            if (_refused.Add(name))
            {
                var hint = name.StartsWith("Deserialized.", StringComparison.Ordinal)
                    ? "It came back from a job or a remote session as a copy of its properties, and it is not a type the exporters read. Run this command where the objects were made (inside Invoke-Command or the job) and bring back its text."
                    : "Pipe Test-GoProxyStability (-PassThru), Watch-TcpState, Measure-GoModDownload, Measure-PacketCapture, Get-TcpFlow, Get-Http2Frame, Get-TcpTimeWait or Get-TcpStatistic output.";
                WriteError(ErrorIds.UnsupportedInput, ErrorCategory.InvalidType, item.BaseObject,
                    $"{MyInvocation.MyCommand.Name} does not know objects of type {name}; they are skipped.", hint);
            }
        }
    }

    /// <summary>Hands one pipeline object to the engine; false when it is not a type it knows.</summary>
    private protected abstract bool Accept(object input);

    /// <summary>Stops with NoUsableInput when nothing was taken.</summary>
    private protected void RequireInput(string what)
    {
        if (Taken == 0)
        {
            ThrowTerminating(ErrorIds.NoUsableInput, ErrorCategory.InvalidArgument, null, $"No input that {what} can use came through the pipeline.",
                "Pipe the output of a GoNetTools command, for example: Test-GoProxyStability -Lab -PassThru | Export-GoNetReport -Path report.html");
        }
    }

    /// <summary>
    /// The Export cmdlets' -Path/-Force/-PassThru, once: -Path resolved through the session, the text rendered (so a
    /// NoUsableInput stops -WhatIf too), ShouldProcess(path, <paramref name="action"/>), the UTF-8 bytes written atomically
    /// (-Force replaces a file), and with -PassThru the object <paramref name="describe"/> makes of what was written.
    /// </summary>
    private protected void Export<T>(string path, bool force, bool passThru, string action, Func<(string Text, T Made)> render,
        Func<string, byte[], T, object> describe)
    {
        var full = Resolve(path);
        var (text, made) = render();
        if (!ShouldProcess(full, action))
        {
            return;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        WriteOutput(full, bytes, force);
        if (passThru)
        {
            WriteObject(describe(full, bytes, made));
        }
    }

    /// <summary>The provider path of -Path (relative to the session's location, not the process's).</summary>
    private protected string Resolve(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically after the safety checks; errors become ErrorRecords.</summary>
    private protected void WriteOutput(string path, byte[] content, bool force)
    {
        try
        {
            OutputFile.Write(path, content, force);
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, path);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.OutputWriteFailed, e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, path,
                $"Writing '{path}' failed: {e.Message}", "Check the folder's permissions and free space, then run again.", e);
        }
    }
}
