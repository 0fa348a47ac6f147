using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>
/// Starts a lab GOPROXY (Start-GoProxyLab with the faults given) in a fresh runspace, trusts its CA the way the
/// go tool does (SSL_CERT_FILE), runs Test-GoProxyStability against it with its catalog, and returns the result
/// with the lab's own counters. The lab is stopped and SSL_CERT_FILE cleared whatever happens.
/// </summary>
internal sealed record LabRun(GoProxyStabilityResult? Result, PSObject? LabStatistics, PipelineResult Pipeline)
{
    /// <summary>
    /// The test process loads GoNetTools.Cmdlets.dll from its own bin (a project reference), not from out/GoNetTools,
    /// so the lab server is pointed at explicitly (GONETTOOLS_LAB, the locator's override).
    /// </summary>
    public static void UseStagedLab() =>
        System.Environment.SetEnvironmentVariable("GONETTOOLS_LAB", System.IO.Path.Combine(Repo.ModuleDirectory, "lab", "GoNetTools.Lab.dll"));

    public static LabRun Start(string labArguments, string testArguments)
    {
        UseStagedLab();
        using var rs = new ModuleRunspace();
        var script = $$"""
            $lab = Start-GoProxyLab {{labArguments}}
            try {
                $env:SSL_CERT_FILE = $lab.CertificatePath
                Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules {{testArguments}}
                $lab.Refresh()
            } finally {
                [Environment]::SetEnvironmentVariable('SSL_CERT_FILE', $null)
                $lab | Stop-GoProxyLab -Confirm:$false
            }
            """;
        var p = rs.Invoke(script);
        var stats = p.Output.FirstOrDefault(o => o.BaseObject.GetType().Name == "GoProxyLabStatistics");
        return new LabRun(p.Objects<GoProxyStabilityResult>().SingleOrDefault(), stats, p);
    }

    public long Lab(string name) => System.Convert.ToInt64(LabStatistics!.Properties[name].Value, System.Globalization.CultureInfo.InvariantCulture);

    public GoProxyStabilityResult Ok()
    {
        Assert.Empty(Pipeline.AllErrors);
        Assert.NotNull(LabStatistics);
        return Assert.IsType<GoProxyStabilityResult>(Result);
    }

    public static string[] Codes(GoProxyStabilityResult r, FindingSeverity? severity = null) =>
        r.Findings.Where(f => severity is null || f.Severity == severity).Select(f => f.Code).ToArray();
}
