using System;
using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Tuning;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Commands;

/// <summary>
/// Set-TcpTuning: applies a profile, one -Name/-Value, or piped TcpTunable objects as one transaction. It
/// validates everything first, asks ShouldProcess per tunable, snapshots every tunable to a backup file,
/// then writes; if any write fails, those already made are restored and the failure is reported.
/// </summary>
[Cmdlet(VerbsCommon.Set, "TcpTuning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(TcpTuningChange), typeof(TcpTunable))]
public sealed class SetTcpTuningCommand : TuningCmdletBase
{
    private const string ProfileSet = "Profile";
    private const string NameSet = "Name";
    private const string InputSet = "InputObject";

    /// <summary>Profile to apply (GoDev, Default): every value it sets for this OS.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProfileSet)]
    [ArgumentCompleter(typeof(TuningProfileCompleter))]
    [ValidateNotNullOrEmpty]
    public string Profile { get; set; } = "";

    /// <summary>One tunable by catalog name or OS key. Anything else (a path, an unknown key) is refused.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(TunableNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The value for -Name: an integer, 'start end' or @(start, end) for port ranges, $null to remove (Windows TimedWaitDelay).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [AllowNull]
    [AllowEmptyString]
    public object? Value { get; set; }

    /// <summary>TcpTunable objects (from Get-TcpTuning): each gets its ProfileValue when it has one, else its Value.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
    public TcpTunable[] InputObject { get; set; } = Array.Empty<TcpTunable>();

    /// <summary>Also write the boot-time configuration (Linux /etc/sysctl.d/90-gonettools.conf, macOS /etc/sysctl.conf block).</summary>
    [Parameter]
    public SwitchParameter Persist { get; set; }

    /// <summary>Also write the resulting TcpTunable objects.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private TuningInventory? _inventory;
    private readonly List<(TunableDefinition Definition, string? Value)> _requests = new();

    /// <inheritdoc />
    protected override void BeginProcessing() => _inventory = OpenInventory();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var inventory = _inventory!;
        if (ParameterSetName == ProfileSet)
        {
            var profile = ResolveProfile(Profile);
            foreach (var (definition, wanted) in inventory.Catalog.ValuesFor(profile, inventory.Store.Os))
            {
                _requests.Add((definition, wanted.Value));
            }
        }
        else if (ParameterSetName == NameSet)
        {
            var definition = Lookup(Name);
            _requests.Add((definition, TunableValue.FromObject(Unwrap(Value), definition.Type)));
        }
        else
        {
            foreach (var tunable in InputObject)
            {
                var definition = Lookup(tunable.Name);
                _requests.Add((definition, tunable.InProfile ? tunable.ProfileValue : tunable.Value));
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() =>
        GuardedTuning(() => CreatePlan(_inventory!).Set(_requests, Persist.IsPresent, PassThru.IsPresent, Operation()), null);

    private TunableDefinition Lookup(string name)
    {
        var definition = _inventory!.Find(name);
        if (definition is null)
        {
            ThrowTerminating(ErrorIds.UnknownTunable, ErrorCategory.InvalidArgument, name,
                $"'{name}' is not a tunable GoNetTools can set on this OS; only catalog names are accepted, never paths or other keys.",
                "Run Get-TcpTuning for the list, or press Tab after -Name.");
        }
        return definition!;
    }

    private string Operation() => ParameterSetName switch
    {
        ProfileSet => $"Set-TcpTuning -Profile {Profile}",
        NameSet => $"Set-TcpTuning -Name {Name}",
        _ => "Set-TcpTuning -InputObject",
    } + (Persist ? " -Persist" : "");

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
