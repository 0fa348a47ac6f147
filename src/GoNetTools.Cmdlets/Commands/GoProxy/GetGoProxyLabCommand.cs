using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using GoNetTools.GoProxy;

namespace GoNetTools.Commands;

/// <summary>Get-GoProxyLab: the labs this session started, with counts fresh from each lab.</summary>
[Cmdlet(VerbsCommon.Get, "GoProxyLab")]
[OutputType(typeof(GoProxyLab))]
public sealed class GetGoProxyLabCommand : GoNetToolsCmdlet
{
    /// <summary>Only the labs with these ids.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(GoProxyLabIdCompleter))]
    [ValidateRange(1, int.MaxValue)]
    public int[]? Id { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var labs = GoProxyLabRegistry.OwnedBy(SessionOwner.Current);
        if (Id is null)
        {
            foreach (var lab in labs)
            {
                lab.Refresh();
                WriteObject(lab);
            }
            return;
        }
        foreach (var id in Id)
        {
            var lab = labs.FirstOrDefault(l => l.Id == id);
            if (lab is null)
            {
                WriteError(ErrorIds.GoProxyLabNotFound, ErrorCategory.ObjectNotFound, id,
                    $"No lab GOPROXY with id {id} is running in this session.", "Run Get-GoProxyLab to list the labs of this session.");
                continue;
            }
            lab.Refresh();
            WriteObject(lab);
        }
    }
}

/// <summary>Tab completion of the ids of this session's labs.</summary>
public sealed class GoProxyLabIdCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        GoProxyLabRegistry.OwnedBy(SessionOwner.Current)
            .Where(l => l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture).StartsWith(wordToComplete, System.StringComparison.Ordinal))
            .Select(l => new CompletionResult(l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{l.Id} {l.Url}", CompletionResultType.ParameterValue, $"{l.Url} ({l.Faults}, pid {l.ProcessId})"));
}
