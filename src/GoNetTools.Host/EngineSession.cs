using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace GoNetTools.Host;

/// <summary>
/// One PowerShell 7 runspace with GoNetTools imported. Runs pipelines through Out-Default so the module's
/// format views apply, and reports whether anything wrote an error.
/// </summary>
public sealed class EngineSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly ConsoleHost _host;
    private PowerShell? _running;

    /// <summary>Opens the runspace and imports the module from <paramref name="modulePath"/>.</summary>
    public EngineSession(string modulePath, ConsoleHost host)
    {
        _host = host;
        // With no UI culture set (C/POSIX locale) help lookup would find no culture folder; the help ships in en-US.
        if (CultureInfo.CurrentUICulture.Name.Length == 0)
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture;
        }
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { modulePath });
        _runspace = RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        ModuleImportErrors = CheckImport();
    }

    /// <summary>Errors from importing the module, if any (the session still opens).</summary>
    public string? ModuleImportErrors { get; }

    private string? CheckImport()
    {
        using var ps = PowerShell.Create(_runspace);
        // Escape sequences only for a terminal; piped or redirected output stays plain text.
        if (Console.IsOutputRedirected || _host.PlainText)
        {
            ps.AddScript("$PSStyle.OutputRendering = 'PlainText'").AddStatement();
        }
        ps.AddScript("if (-not (Get-Module GoNetTools)) { 'GoNetTools did not import.' }");
        var result = ps.Invoke();
        return result.Count > 0 ? result[0].ToString() : null;
    }

    /// <summary>Runs script text; returns true when nothing wrote an error.</summary>
    public bool Run(string script, string[]? arguments = null, bool isFile = false)
    {
        using var ps = PowerShell.Create(_runspace);
        if (isFile)
        {
            ps.AddCommand(script);
            foreach (var argument in arguments ?? Array.Empty<string>())
            {
                ps.AddArgument(argument);
            }
        }
        else
        {
            ps.AddScript(script);
        }
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        // Errors merged into the output are displayed, and no longer flag HadErrors; every error still lands
        // at the top of $Error, so a new head of $Error means this run wrote one.
        var errors = _runspace.SessionStateProxy.PSVariable.GetValue("Error") as System.Collections.ArrayList;
        object? previousTop = errors is { Count: > 0 } ? errors[0] : null;
        _running = ps;
        try
        {
            ps.Invoke();
            bool wroteError = errors is { Count: > 0 } && !ReferenceEquals(errors[0], previousTop);
            return !ps.HadErrors && !wroteError;
        }
        catch (RuntimeException e)
        {
            WriteTerminatingError(e.ErrorRecord);
            return false;
        }
        catch (Exception e) when (e is PSInvalidOperationException or InvalidOperationException)
        {
            _host.UI.WriteErrorLine(e.Message);
            return false;
        }
        finally
        {
            _running = null;
        }
    }

    private void WriteTerminatingError(ErrorRecord record)
    {
        using var ps = PowerShell.Create(_runspace);
        ps.AddCommand("Out-Default").AddParameter("InputObject", record);
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException)
        {
            _host.UI.WriteErrorLine(record.ToString());
        }
    }

    /// <summary>Stops the running pipeline (Ctrl+C).</summary>
    public void Stop() => _running?.BeginStop(null, null);

    /// <summary>Closes the runspace.</summary>
    public void Dispose() => _runspace.Dispose();

    /// <summary>
    /// Finds the staged module: $GONETTOOLS_MODULE, else out/GoNetTools/GoNetTools.psd1 in this program's
    /// folder or any folder above it (the repository's out/ after a build).
    /// </summary>
    public static string? FindModule()
    {
        var fromEnv = Environment.GetEnvironmentVariable("GONETTOOLS_MODULE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "out", "GoNetTools", "GoNetTools.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
