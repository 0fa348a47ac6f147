using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>What one pipeline produced: objects, errors and warnings.</summary>
public sealed class PipelineResult
{
    public required Collection<PSObject> Output { get; init; }
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    /// <summary>The terminating error, when the pipeline threw one.</summary>
    public ErrorRecord? Terminating { get; init; }

    public IEnumerable<ErrorRecord> AllErrors => Terminating is null ? Errors : Errors.Append(Terminating);

    /// <summary>The base objects, typed.</summary>
    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();
}

/// <summary>
/// A real PowerShell 7 runspace (SMA 7.6.9) with out/GoNetTools imported, as a user would have it. Build the
/// solution first: the tests import the staged module, not the project output.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace(IDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Repo.ModuleManifest))
        {
            throw new InvalidOperationException($"{Repo.ModuleManifest} is missing: build GoNetTools.sln first.");
        }
        var state = InitialSessionState.CreateDefault2();
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                state.EnvironmentVariables.Add(new SessionStateVariableEntry(name, value, null));
            }
        }
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>Runs script text with optional named variables set first ($args is not used).</summary>
    public PipelineResult Invoke(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create(_runspace);
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }
        }
        ps.AddScript(script);
        Collection<PSObject> output;
        ErrorRecord? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            output = new Collection<PSObject>();
            terminating = e.ErrorRecord;
        }
        return new PipelineResult
        {
            Output = output,
            Errors = ps.Streams.Error.ToList(),
            Warnings = ps.Streams.Warning.Select(w => w.Message).ToList(),
            Terminating = terminating,
        };
    }

    public void Dispose() => _runspace.Dispose();
}
