using System;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tuning;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpTuning: the catalog's TCP tunables for this OS as they are now (in this network namespace on Linux),
/// what the boot configuration will set, and with -Profile whether each matches the profile.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpTuning")]
[OutputType(typeof(TcpTunable))]
public sealed class GetTcpTuningCommand : TuningCmdletBase
{
    /// <summary>Tunable names (TimeWaitReuse, LocalPortRange...) or OS keys; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TunableNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Compare each tunable with this profile (GoDev, Default): fills ProfileValue and Compliant.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TuningProfileCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    private TuningInventory? _inventory;
    private TuningProfile? _profile;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _inventory = OpenInventory();
        _profile = Profile is null ? null : ResolveProfile(Profile);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var inventory = _inventory!;
        GuardedTuning(() =>
        {
            var boot = inventory.EffectiveBootConfig();
            var selected = inventory.Definitions.AsEnumerable();
            if (Name is not null)
            {
                var patterns = Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
                foreach (var name in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && inventory.Find(n) is null))
                {
                    WriteError(ErrorIds.UnknownTunable, ErrorCategory.ObjectNotFound, name,
                        $"'{name}' is not a tunable GoNetTools knows on this OS.",
                        "Run Get-TcpTuning without -Name for the list, or press Tab after -Name.");
                }
                selected = selected.Where(d => patterns.Any(p => p.IsMatch(d.Name) || p.IsMatch(d.Key)));
            }
            foreach (var definition in selected)
            {
                WriteObject(inventory.Describe(definition, boot, _profile));
            }
        }, null);
    }
}
