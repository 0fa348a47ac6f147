using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>What every cmdlet owes the user: exported explicitly, a help page that matches it, a view for its output.</summary>
public sealed class ModuleContractTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    private List<string> ModuleCmdlets() =>
        _ps.Invoke("Get-Command -Module GoNetTools -CommandType Cmdlet | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();

    [SkippableFact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines_and_the_built_version()
    {
        var assemblyCmdlets = typeof(GoNetTools.Commands.GoNetToolsCmdlet).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().FirstOrDefault())
            .Where(a => a is not null)
            .Select(a => $"{a!.VerbName}-{a.NounName}")
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        var exported = ModuleCmdlets().OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(assemblyCmdlets, exported);

        var manifest = File.ReadAllText(Repo.ModuleManifest);
        var props = File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.props"));
        var version = Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        Assert.Contains($"ModuleVersion = '{version}'", manifest);
        Assert.Equal(version, _ps.Invoke("(Get-Module GoNetTools).Version.ToString()").Output.Single().ToString());
    }

    [SkippableFact]
    public void Every_cmdlet_has_help_with_synopsis_examples_and_exactly_its_parameters()
    {
        var problems = new List<string>();
        foreach (var name in ModuleCmdlets())
        {
            var help = _ps.Invoke($"Get-Help {name} -Full").Output.Single();
            var synopsis = help.Properties["Synopsis"]?.Value?.ToString()?.Trim() ?? "";
            if (synopsis.Length == 0 || synopsis.StartsWith(name, StringComparison.Ordinal))
            {
                problems.Add($"{name}: no synopsis (help not found?)");
            }
            var examples = _ps.Invoke($"@((Get-Help {name} -Full).examples.example).Count").Output.Single();
            if ((int)examples.BaseObject < 2)
            {
                problems.Add($"{name}: {examples} example(s)");
            }
            var documented = _ps.Invoke($"(Get-Help {name} -Full).parameters.parameter | ForEach-Object {{ $_.name }}").Output
                .Select(o => o.ToString()).OrderBy(n => n).ToList();
            var actual = _ps.Invoke($"(Get-Command {name}).Parameters.Keys | Where-Object {{ $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -ne 'UseTransaction' }}")
                .Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            if (!documented.SequenceEqual(actual))
            {
                problems.Add($"{name}: documented [{string.Join(", ", documented)}] but has [{string.Join(", ", actual)}]");
            }
        }
        Assert.Empty(problems);
    }

    [SkippableFact]
    public void Every_output_type_has_a_default_view()
    {
        var format = XDocument.Load(Path.Combine(Repo.ModuleDirectory, "GoNetTools.format.ps1xml"));
        var viewed = format.Descendants("ViewSelectedBy").Elements("TypeName").Select(e => e.Value.Trim()).ToHashSet();
        var outputTypes = _ps.Invoke("Get-Command -Module GoNetTools | ForEach-Object { $_.OutputType.Name }").Output
            .Select(o => o.ToString()).Where(n => n.StartsWith("GoNetTools.", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, t => Assert.Contains(t, viewed));
    }

    [SkippableFact]
    public void About_topic_is_staged()
    {
        var help = _ps.Invoke("Get-Help about_GoNetTools");
        Assert.Empty(help.AllErrors);
        var about = help.Output;
        Assert.Contains(about, o => o.ToString().Contains("TIME_WAIT lasts 60 seconds", StringComparison.Ordinal));
    }
}
