using System;
using System.Management.Automation;

namespace GoNetTools.Commands;

/// <summary>
/// The test hooks, read one way: the PowerShell variable (set it as a global, `$global:GoNetToolsSystemRoot = …`,
/// so every scope sees it; a variable in the caller's scope works too), else the environment variable
/// (`$env:GONETTOOLS_SYSROOT = …`, which child processes inherit). The value may be any object whose string form
/// is the setting (a Join-Path result, a DirectoryInfo, a number). Hooks are for tests, not user features;
/// about_GoNetTools lists them.
/// </summary>
internal sealed class TestHook
{
    private TestHook(string variableName, string? environmentName)
    {
        VariableName = variableName;
        EnvironmentName = environmentName;
    }

    /// <summary>Fixture root that replaces "/" for /proc and /sys reads and NIC writes.</summary>
    public static readonly TestHook SystemRoot = new("GoNetToolsSystemRoot", "GONETTOOLS_SYSROOT");

    /// <summary>Root for etc/sysctl*, the persisted file and the tuning backups.</summary>
    public static readonly TestHook ConfigRoot = new("GoNetToolsConfigRoot", "GONETTOOLS_CONFIGROOT");

    /// <summary>N: the Nth live write of a tuning transaction fails before touching anything.</summary>
    public static readonly TestHook TuningFailAt = new("GoNetToolsTuningFailAt", "GONETTOOLS_TUNING_FAILAT");

    /// <summary>The only capture library to probe (a name that does not exist simulates a machine without libpcap).</summary>
    public static readonly TestHook PcapLibrary = new("GoNetToolsPcapLibrary", "GONETTOOLS_PCAP_LIBRARY");

    /// <summary>The go executable (a path that does not exist simulates a machine without go).</summary>
    public static readonly TestHook GoTool = new("GoNetToolsGoPath", "GONETTOOLS_GO");

    /// <summary>Full path of another GoNetTools.Lab.dll.</summary>
    public static readonly TestHook LabAssembly = new("GoNetToolsLabPath", "GONETTOOLS_LAB");

    /// <summary>Milliseconds to hold the persisted sysctl file's lock between reading and replacing it (two runs overlap).</summary>
    public static readonly TestHook TuningLockPause = new("GoNetToolsTuningLockPause", "GONETTOOLS_TUNING_LOCKPAUSE");

    public string VariableName { get; }

    public string? EnvironmentName { get; }

    /// <summary>The hook's value as the cmdlet's caller sees it, or null when neither is set.</summary>
    public string? Read(SessionState sessionState) => Text(sessionState.PSVariable.GetValue(VariableName)) ?? FromEnvironment();

    /// <summary>
    /// For code without a SessionState (argument completers run on the pipeline thread): a script block reads the
    /// variable, since the SessionStateProxy refuses while the runspace is busy.
    /// </summary>
    public string? ReadOnPipelineThread()
    {
        try
        {
            // A variable expression, not Get-Variable: a runspace with only the core cmdlets has no Get-Variable.
            var value = ScriptBlock.Create("$" + VariableName).Invoke();
            if (value.Count > 0 && Text(value[0]) is { } text)
            {
                return text;
            }
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            // No runspace on this thread, or strict mode and the variable is unset: the environment decides.
        }
        return FromEnvironment();
    }

    private string? FromEnvironment() =>
        EnvironmentName is not null && Environment.GetEnvironmentVariable(EnvironmentName) is { Length: > 0 } value ? value : null;

    private static string? Text(object? value)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }
        var text = value switch
        {
            null => null,
            string s => s,
            System.IO.FileSystemInfo info => info.FullName,
            _ => LanguagePrimitives.ConvertTo<string>(value),
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
