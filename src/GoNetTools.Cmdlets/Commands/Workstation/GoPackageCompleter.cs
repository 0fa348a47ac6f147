using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using GoNetTools.Foundation.Files;
using GoNetTools.Foundation.Processes;
using GoNetTools.GoModDownload;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>
/// Tab completion for Measure-GoBuild -Package: the patterns std and cmd and every package `go list std cmd` names,
/// asked once per go executable and process (a failure is not remembered), in a throwaway cache (GoSandbox) like every other go run of the module.
/// Never throws: without go, or when go fails, only the patterns are offered.
/// </summary>
public sealed class GoPackageCompleter : IArgumentCompleter
{
    private static readonly ConcurrentDictionary<string, string[]> Packages = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var names = new[] { "std", "cmd" }.Concat(List()).Distinct(StringComparer.Ordinal);
        foreach (var name in names.Where(n => n.StartsWith(word, StringComparison.Ordinal)))
        {
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }

    private static string[] List()
    {
        string go;
        try
        {
            go = GoToolLocator.Find(TestHook.GoTool.ReadOnPipelineThread());
        }
        catch (GoNetToolsException)
        {
            return Array.Empty<string>();
        }
        if (Packages.TryGetValue(go, out var known))
        {
            return known;
        }
        var asked = Ask(go);
        if (asked.Length > 0)
        {
            Packages[go] = asked; // a failure is asked again next time
        }
        return asked;
    }

    private static string[] Ask(string go)
    {
        try
        {
            using var directory = PrivateDirectory.Create("golist");
            var spec = new ProcessSpec(go, new[] { "list", "std", "cmd" })
            {
                Environment = GoSandbox.Environment(directory.Path), WorkingDirectory = directory.Path, OutputLimit = 1 << 20,
            };
            var result = ChildProcess.Run(spec, TimeSpan.FromSeconds(20), CancellationToken.None);
            return result.ExitCode != 0 ? Array.Empty<string>()
                : result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return Array.Empty<string>();
        }
    }
}
