using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace GoNetTools.Bench;

/// <summary>A runspace on the real PowerShell 7 engine with out/GoNetTools imported.</summary>
internal sealed class Engine : IDisposable
{
    private readonly Runspace _runspace;

    public Engine()
    {
        var manifest = FindManifest();
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { manifest });
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public System.Collections.ObjectModel.Collection<PSObject> Invoke(string script)
    {
        using var ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        var result = ps.Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException($"'{script}' wrote errors: {string.Join("; ", ps.Streams.Error)}");
        }
        return result;
    }

    public void Dispose() => _runspace.Dispose();

    private static string FindManifest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "out", "GoNetTools", "GoNetTools.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("out/GoNetTools/GoNetTools.psd1 not found: build GoNetTools.sln first.");
    }
}
