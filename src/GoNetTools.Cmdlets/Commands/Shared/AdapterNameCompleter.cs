using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Tab completion for every -Adapter / -Name parameter that takes an adapter: the adapters here plus the aliases
/// "Wi-Fi" and "Ethernet". Never throws: a failure to list adapters completes nothing.
/// </summary>
public sealed class AdapterNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        List<NicAdapter> adapters;
        try
        {
            adapters = PlatformServices.Nic(SystemRoot()).GetAdapters().ToList();
        }
        catch (Exception e) when (e is GoNetToolsException or System.IO.IOException or UnauthorizedAccessException)
        {
            adapters = new List<NicAdapter>();
        }
        var names = adapters.Select(a => (a.Name, Tip: $"{a.Name} ({a.Kind}, {a.Status})"))
            .Concat(AdapterLookup.Aliases.Select(alias => (Name: alias, Tip: $"{alias}: alias for the first {(alias == AdapterLookup.WiFiAlias ? "wireless adapter" : "wired physical adapter that is up")}")));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, tip) in names)
        {
            if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase) && seen.Add(name))
            {
                yield return new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, tip);
            }
        }
    }

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || "'\"`$(){}[],;&|@#<>".Contains(c)) ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'" : name;

    /// <summary>The fixture root of the test hook, read on the pipeline thread completion runs on; "/" normally.</summary>
    private static string SystemRoot() => TestHook.SystemRoot.ReadOnPipelineThread() ?? "/";
}
