using System;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>One GOPROXY parser for both cmdlets: the same values refused with the same id, and a list passed on whole.</summary>
[Trait("Category", Category.Root)]
public sealed class GoProxyParameterTests
{
    [SkippableTheory]
    [InlineData("ftp://x")]
    [InlineData("not a url")]
    [InlineData("not-a-url")]
    [InlineData("file:///srv/goproxy")]
    [InlineData("off")]
    [InlineData(",")]
    public void Both_cmdlets_refuse_what_is_no_GOPROXY_with_InvalidProxy(string proxy)
    {
        using var rs = new ModuleRunspace();
        var vars = new System.Collections.Generic.Dictionary<string, object?> { ["p"] = proxy };
        foreach (var command in new[] { "Test-GoProxyStability", "Measure-GoModDownload" })
        {
            var e = Assert.Single(rs.Invoke($"{command} -Proxy $p -Module example.test/x@v1.0.0", vars).AllErrors);
            Assert.Equal($"InvalidProxy,GoNetTools.Commands.{command.Replace("-", "", StringComparison.Ordinal)}Command", e.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Equal(proxy, e.TargetObject);
            Assert.Contains("GOPROXY", e.ErrorDetails.RecommendedAction);
        }
    }

    [SkippableFact]
    [Trait("Category", Category.Go)]
    public void Measure_GoModDownload_hands_the_whole_list_to_go()
    {
        using var rs = new ModuleRunspace();
        // Two closed ports with '|': go tries the second after the first refuses, and says so for both.
        var result = rs.Invoke("Measure-GoModDownload -Proxy 'http://127.0.0.1:1|http://127.0.0.1:2' -Module example.test/x@v1.0.0");
        var m = Assert.Single(result.Objects<GoModDownloadMeasurement>());
        Assert.Equal("http://127.0.0.1:1|http://127.0.0.1:2", m.Proxy);
        var tail = string.Join("\n", m.ErrorTail);
        Assert.Contains("127.0.0.1:2", tail);
        Assert.StartsWith("GoModDownloadFailed", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
