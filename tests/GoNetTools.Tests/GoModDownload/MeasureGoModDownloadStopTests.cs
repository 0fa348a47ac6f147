using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoModDownload;

/// <summary>Ctrl+C (PowerShell.Stop) during Measure-GoModDownload kills go, stops the capture and the lab, deletes the temp files.</summary>
[Trait("Category", Category.Root)]
[Collection("GoModDownload")]
public sealed class MeasureGoModDownloadStopTests
{
    [SkippableFact]
    public void Stop_kills_go_and_cleans_up()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        // 300 ms per response over 16 module versions: far longer than the wait below.
        ps.AddScript("$l = Start-GoProxyLab -Latency 300ms; $l | Measure-GoModDownload");
        var async = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (GoProcesses().Count == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        var goPids = GoProcesses();
        Assert.NotEmpty(goPids); // positive control: go was running when stopped
        var workspace = Home(goPids[0]);
        Assert.True(Directory.Exists(workspace), workspace);
        Assert.False(async.IsCompleted);
        var clock = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(GoProcesses().Intersect(goPids));
        Assert.False(Directory.Exists(workspace), $"{workspace} left behind");
        // The run's whole private directory (workspace, caches, capture) is gone, not only go's HOME.
        Assert.StartsWith("/run/gonettools/gomod-", workspace, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(workspace)), $"{Path.GetDirectoryName(workspace)} left behind");
    }

    private static System.Collections.Generic.List<int> GoProcesses() =>
        Process.GetProcessesByName("go").Where(IsOurs).Select(p => p.Id).ToList();

    private static bool IsOurs(Process p)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/environ").Contains("/gonettools/gomod-", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The HOME of a go process: the run's workspace inside its private directory.</summary>
    private static string Home(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0').Single(v => v.StartsWith("HOME=", StringComparison.Ordinal))[5..];
}

/// <summary>The real host with a PATH that has dotnet but no go: the PATH lookup, not the test hook.</summary>
[Trait("Category", Category.Root)]
[Collection("GoModDownload")]
public sealed class MeasureGoModDownloadNoGoTests
{
    [SkippableFact]
    public void Host_without_go_on_PATH_reports_ObjectNotFound()
    {
        var bin = Directory.CreateTempSubdirectory("gnt-nogo-").FullName;
        try
        {
            var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/bin/dotnet";
            File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), dotnet);
            var (_, stdout, stderr) = GoNetToolsHost.Run(
                "try { Measure-GoModDownload -Lab -ErrorAction Stop } catch { 'ID=' + $_.FullyQualifiedErrorId + ';CAT=' + $_.CategoryInfo.Category }",
                environment: new System.Collections.Generic.Dictionary<string, string> { ["PATH"] = bin });
            Assert.Contains("ID=GoToolNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand;CAT=ObjectNotFound", stdout + stderr);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
