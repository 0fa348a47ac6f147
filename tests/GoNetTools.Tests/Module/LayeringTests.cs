using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using GoNetTools.Tests.Module.LayeringSynthetic.Platform;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>
/// Dependencies point one way: Commands → areas → Platform → Foundation/Model/Protocols, PowerShell types only in
/// Commands, and the Protocols assembly references nothing of ours. Read from the compiled assemblies.
/// </summary>
public sealed class LayeringTests
{
    private static readonly LayerChecker Checker = new(LayerChecker.GoNetToolsLayer, ns => LayerChecker.Under(ns, "GoNetTools.Commands"));

    /// <summary>
    /// References against the direction that exist today and are named as work left (issue 13), type → namespace. The
    /// test fails on any other violation, and on an entry here that no longer occurs, so this list can only shrink.
    /// </summary>
    private static readonly (string From, string ToNamespace, string Why)[] KnownDebts =
    {
        ("GoNetTools.GoProxyLab", "GoNetTools.GoProxy", "the model object holds the live lab process; the one session registry is to own it"),
    };

    [SkippableFact]
    public void The_module_assembly_references_point_down_the_layers_only()
    {
        var module = typeof(GoNetTools.Commands.GoNetToolsCmdlet).Assembly;
        var all = Checker.Check(module);
        bool Known(LayerViolation v, (string From, string ToNamespace, string Why) d) =>
            v.From == d.From && v.To.StartsWith(d.ToNamespace + ".", StringComparison.Ordinal) && v.To.LastIndexOf('.') == d.ToNamespace.Length;
        var violations = all.Where(v => !KnownDebts.Any(d => Known(v, d))).ToList();
        Assert.True(violations.Count == 0, "References against the layering:\n" + string.Join("\n", violations.Take(60)));
        var stale = KnownDebts.Where(d => !all.Any(v => Known(v, d))).Select(d => d.From).ToList();
        Assert.True(stale.Count == 0, "Fixed, so remove from KnownDebts: " + string.Join(", ", stale));
        // The checker saw the module's types: the cmdlets use PowerShell, and nothing flagged them for it.
        Assert.True(module.GetTypes().Count(t => t.Namespace == "GoNetTools.Commands") > 40);
    }

    [SkippableFact]
    public void Protocols_references_nothing_of_ours_and_no_PowerShell()
    {
        var protocols = typeof(GoNetTools.Protocols.Http2.Http2Frames).Assembly;
        Assert.Equal("GoNetTools.Protocols", protocols.GetName().Name);
        var ours = protocols.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("GoNetTools", StringComparison.Ordinal) ||
            a.Name.StartsWith("System.Management.Automation", StringComparison.Ordinal)).Select(a => a.Name).ToList();
        Assert.Empty(ours);
        Assert.Empty(Checker.Check(protocols));
        // Every type we wrote there lives under GoNetTools.Protocols (the regex generator and the compiler add their own).
        Assert.All(protocols.GetTypes().Where(t => t.Namespace is { } ns && !ns.StartsWith("System.", StringComparison.Ordinal)).Select(t => t.Namespace!),
            ns => Assert.StartsWith("GoNetTools.Protocols", ns));
        // Positive control: the module assembly does reference Protocols, so the same question would name it there.
        Assert.Contains(typeof(GoNetTools.Commands.GoNetToolsCmdlet).Assembly.GetReferencedAssemblies(), a => a.Name == "GoNetTools.Protocols");
    }

    [SkippableFact]
    public void The_lab_uses_the_shared_protocol_code()
    {
        var lab = Assembly.LoadFrom(System.IO.Path.Combine(Infrastructure.Repo.ModuleDirectory, "lab", "GoNetTools.Lab.dll"));
        Assert.Contains(lab.GetReferencedAssemblies(), a => a.Name == "GoNetTools.Protocols");
        Assert.DoesNotContain(lab.GetReferencedAssemblies(), a => a.Name == "GoNetTools.Cmdlets" || a.Name == "System.Management.Automation");
    }

    [SkippableFact]
    public void Positive_control_the_checker_flags_a_deliberately_wrong_synthetic_platform_type()
    {
        // This test assembly holds LayeringSynthetic.{Platform,GoProxy}: a "platform" class that uses an "area" class and
        // takes a PowerShell type. Mapped like GoNetTools' own namespaces, both must be reported, with their members.
        var checker = new LayerChecker(
            ns => ns.Contains(".LayeringSynthetic.Platform", StringComparison.Ordinal) ? Layer.Platform
                : ns.Contains(".LayeringSynthetic.GoProxy", StringComparison.Ordinal) ? Layer.Area
                : null,
            _ => false);
        var violations = checker.Check(typeof(WrongPlatformBackEnd).Assembly, t => t.Namespace?.Contains(".LayeringSynthetic.", StringComparison.Ordinal) == true);
        Assert.Contains(violations, v => v.From.EndsWith("WrongPlatformBackEnd", StringComparison.Ordinal) && v.To.EndsWith("AreaEngine", StringComparison.Ordinal) && v.Why.Contains("body of Sample"));
        Assert.Contains(violations, v => v.From.EndsWith("WrongPlatformBackEnd", StringComparison.Ordinal) && v.To == typeof(PSObject).FullName);
        // …and only those: the area using the platform is the allowed direction.
        Assert.DoesNotContain(violations, v => v.From.EndsWith("AreaEngine", StringComparison.Ordinal));
    }
}
