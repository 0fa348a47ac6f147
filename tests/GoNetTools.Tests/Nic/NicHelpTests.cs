using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class NicHelpTests
{
    private static readonly string[] Common =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    [Theory]
    [InlineData("Get-NicAdapter")]
    [InlineData("Get-NicQueue")]
    [InlineData("Get-NicInterrupt")]
    [InlineData("Set-NicInterruptAffinity")]
    [InlineData("Set-NicQueue")]
    public void Help_page_lists_exactly_the_cmdlet_parameters_and_the_module_exports_it(string cmdlet)
    {
        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "help", "en-US", cmdlet + ".md"));
        var documented = Regex.Matches(page, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).OrderBy(n => n).ToArray();
        using var rs = new ModuleRunspace();
        var result = rs.Invoke($"(Get-Command {cmdlet} -Module GoNetTools).Parameters.Keys");
        Assert.Empty(result.AllErrors);
        var actual = result.Output.Select(o => (string)o.BaseObject).Where(n => !Common.Contains(n)).OrderBy(n => n).ToArray();
        Assert.Equal(actual, documented);
        var synopsis = rs.Invoke($"(Get-Help {cmdlet}).Synopsis");
        Assert.False(string.IsNullOrWhiteSpace(synopsis.Output.Single().BaseObject as string));
    }
}
