using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class NicInterruptCommandTests
{
    private static string Affinity(WritableFixture f, int irq) => File.ReadAllText(f.Path_("proc", "irq", irq.ToString(), "smp_affinity_list")).Trim();

    [SkippableFact]
    public void Get_NicInterrupt_filters_by_adapter_and_irq_and_reports_unknown_irqs()
    {
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicInterrupt -Adapter eth0 -Irq 45, 46, 999", NicFixtures.Root(NicFixtures.Server));
        Assert.Equal(new[] { 45, 46 }, result.Objects<NicInterrupt>().Select(i => i.Irq));
        var error = Assert.Single(result.Errors);
        Assert.Equal("IrqNotFound,GoNetTools.Commands.GetNicInterruptCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        // irqbalance runs with --banirq=46 in this tree: only 45 is named.
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("irqbalance (pid 812)", warning);
        Assert.Contains("IRQ 45:", warning);
    }

    [SkippableFact]
    public void Without_irqbalance_there_is_no_warning_and_pipeline_binds_by_adapter_name()
    {
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicAdapter ens3 | Get-NicInterrupt", NicFixtures.Root(NicFixtures.Vm));
        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Warnings);
        Assert.Equal(9, result.Objects<NicInterrupt>().Count());
    }

    [SkippableFact]
    public void Interval_gives_rates_and_a_bad_interval_is_refused()
    {
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicInterrupt -Adapter ens3 -Irq 25 -Interval 00:00:00.3", NicFixtures.Root(NicFixtures.Vm));
        var irq = Assert.Single(result.Objects<NicInterrupt>());
        Assert.True(irq.Interval!.Value.TotalSeconds >= 0.3);
        Assert.Equal(new double[] { 0, 0, 0, 0 }, irq.RatePerCpu);
        var bad = rs.Invoke("Get-NicInterrupt -Interval ([TimeSpan]::FromSeconds(-1))");
        var error = Assert.Single(bad.AllErrors);
        Assert.Equal("InvalidInterval,GoNetTools.Commands.GetNicInterruptCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void Set_NicInterruptAffinity_writes_smp_affinity_list_and_passes_the_result_through()
    {
        using var copy = new WritableFixture(NicFixtures.Server);
        using var rs = new ModuleRunspace();
        Assert.Equal("0", Affinity(copy, 45));
        var result = rs.Invoke("Set-NicInterruptAffinity -Irq 45 -Cpu 2,3,5 -PassThru -Confirm:$false", NicFixtures.Root(copy.Root));
        Assert.Empty(result.AllErrors);
        Assert.Equal("2-3,5", Affinity(copy, 45));
        Assert.Equal(new[] { 2, 3, 5 }, Assert.Single(result.Objects<NicInterrupt>()).AffinityList);
        Assert.Contains(result.Warnings, w => w.Contains("irqbalance") && w.Contains("45"));
        // 46 is banned in irqbalance's arguments: no warning.
        var banned = rs.Invoke("Set-NicInterruptAffinity 46 4");
        Assert.Empty(banned.Warnings);
        Assert.Equal("4", Affinity(copy, 46));
    }

    [SkippableFact]
    public void WhatIf_writes_nothing()
    {
        using var copy = new WritableFixture(NicFixtures.Vm);
        using var rs = new ModuleRunspace();
        var result = rs.Invoke("Get-NicInterrupt -Adapter ens3 | Set-NicInterruptAffinity -Cpu 3 -WhatIf", NicFixtures.Root(copy.Root));
        Assert.Empty(result.AllErrors);
        Assert.Equal("0", Affinity(copy, 25));
        Assert.Equal("0-3", Affinity(copy, 24));
        // Positive control: the same pipeline without -WhatIf changes every one.
        rs.Invoke("Get-NicInterrupt -Adapter ens3 | Set-NicInterruptAffinity -Cpu 3");
        Assert.All(Enumerable.Range(24, 9), irq => Assert.Equal("3", Affinity(copy, irq)));
    }

    [SkippableTheory]
    [InlineData("Set-NicInterruptAffinity -Irq 45 -Cpu @()", "InvalidCpuSet", ErrorCategory.InvalidArgument, "empty")]
    [InlineData("Set-NicInterruptAffinity -Irq 45 -Cpu 1,16", "InvalidCpuSet", ErrorCategory.InvalidArgument, "CPU 16 is not online")]
    [InlineData("Set-NicInterruptAffinity -Irq 30 -Cpu 1", "IrqNotFound", ErrorCategory.ObjectNotFound, "not a network adapter interrupt")]
    public void Bad_requests_are_refused_before_writing(string script, string id, ErrorCategory category, string message)
    {
        using var copy = new WritableFixture(NicFixtures.Server);
        using var rs = new ModuleRunspace();
        var result = rs.Invoke(script, NicFixtures.Root(copy.Root));
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(id + ",GoNetTools.Commands.SetNicInterruptAffinityCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(message, error.ErrorDetails.Message);
        Assert.Equal("0", Affinity(copy, 45));
        Assert.Equal("3", Affinity(copy, 30));
    }
}
