using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>
/// Ctrl+C (PowerShell.Stop) while a real compile runs: Measure-GoBuild and Test-NetworkUnderLoad stop within
/// seconds, and no go, compile, asm or link process of theirs is left, nor their private directory or lab.
/// </summary>
[Collection("GoBuild")]
[Trait("Category", "Go")]
public sealed class WorkstationStopTests
{
    /// <summary>Needs the go tool on PATH (skipped with the hint without it).</summary>
    public WorkstationStopTests() => Requires.Tool("go", "apt-get install golang-go");

    [SkippableFact]
    public void Stopping_Measure_GoBuild_during_go_build_a_std_leaves_no_child_Linux() =>
        StopDuringCompile("Measure-GoBuild -Workload Std -Count 3", "/gobuild-");

    [SkippableFact]
    public void Stopping_Test_NetworkUnderLoad_under_load_leaves_no_child_and_no_lab_Linux() =>
        StopDuringCompile("Test-NetworkUnderLoad -Duration 3 -Windows 3", "/netload-", labs: true);

    private static void StopDuringCompile(string script, string marker, bool labs = false)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        ps.AddScript(script);
        var labsBefore = LabProcesses();
        var async = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // Positive control: a real compiler (not only go) of this run is running when we stop it. The check and the
        // snapshot are one listing: go starts a compile per package, so a second listing may fall between two.
        var running = Ours(marker);
        while (!running.Any(p => p.Name == "compile") && DateTime.UtcNow < deadline && !async.IsCompleted)
        {
            Thread.Sleep(100);
            running = Ours(marker);
        }
        Assert.Contains(running, p => p.Name == "compile");
        Assert.Contains(running, p => p.Name == "go");
        var home = running.First().Home;
        Assert.True(Directory.Exists(home), home);
        if (labs)
        {
            Assert.NotEmpty(LabProcesses().Except(labsBefore));
        }
        var clock = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(Ours(marker));
        Assert.DoesNotContain(running, p => Directory.Exists($"/proc/{p.Pid}") && ChildProcessTests.ProcessGroupOf(p.Pid) != -1);
        var privateDir = home[..(home.IndexOf(marker, StringComparison.Ordinal) + marker.Length + 6)];
        Assert.False(Directory.Exists(privateDir), $"{privateDir} left behind");
        if (labs)
        {
            var deadlineLab = DateTime.UtcNow.AddSeconds(10);
            while (LabProcesses().Except(labsBefore).Any() && DateTime.UtcNow < deadlineLab)
            {
                Thread.Sleep(100);
            }
            Assert.Empty(LabProcesses().Except(labsBefore));
        }
    }

    /// <summary>
    /// <see cref="Ours"/> once the ones that are dying are gone: a process SIGKILLed with its group is torn down by the
    /// kernel a moment later (a loaded machine showed a killed go still listed right after the cmdlet returned).
    /// </summary>
    internal static List<(int Pid, string Name, string Home)> OursAfterTeardown(string marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var left = Ours(marker);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            left = Ours(marker);
        }
        return left;
    }

    /// <summary>Live processes whose HOME lies in one of our private directories with <paramref name="marker"/> in its name.</summary>
    internal static List<(int Pid, string Name, string Home)> Ours(string marker)
    {
        var result = new List<(int, string, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ChildProcessTests.ProcessGroupOf(pid) == -1)
            {
                continue;
            }
            try
            {
                var home = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').FirstOrDefault(v => v.StartsWith("HOME=", StringComparison.Ordinal))?[5..];
                if (home is not null && home.Contains(marker, StringComparison.Ordinal))
                {
                    result.Add((pid, File.ReadAllText(Path.Combine(dir, "comm")).Trim(), home));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return result;
    }

    private static List<int> LabProcesses() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1).Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Contains("GoNetTools.Lab.dll", StringComparison.Ordinal) && ChildProcessTests.ProcessGroupOf(pid) != -1;
                }
                catch (IOException)
                {
                    return false;
                }
            }).ToList();
}
