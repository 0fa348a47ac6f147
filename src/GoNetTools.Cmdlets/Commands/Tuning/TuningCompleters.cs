using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using GoNetTools.Tuning;
using GoNetTools.Platform;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Commands;

/// <summary>Tab completion for -Name: the catalog's tunables for this OS, with their key and fact as tooltip.</summary>
public sealed class TunableNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return TunableCatalog.Instance.For(PlatformServices.CatalogOs)
            .Where(t => t.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(t => new CompletionResult(t.Name, t.Name, CompletionResultType.ParameterValue, $"{t.Key}: {t.Description}"));
    }
}

/// <summary>Tab completion for -Profile: the catalog's profiles with their description as tooltip.</summary>
public sealed class TuningProfileCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return TunableCatalog.Instance.Profiles
            .Where(p => p.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description));
    }
}
