using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>Ctrl+C (PowerShell.Stop, which calls StopProcessing) ends the long-running commands promptly and cleanly.</summary>
[Collection("GoProxyLoad")]
public sealed class CtrlCTests
{
    private static (TimeSpan StopTook, PSInvocationState State, Runspace Runspace) StopAfter(string script, TimeSpan after)
    {
        LabRun.UseStagedLab();
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create(runspace).AddScript(script);
        ps.BeginInvoke();
        Thread.Sleep(after);
        Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);
        var watch = Stopwatch.StartNew();
        ps.Stop();
        return (watch.Elapsed, ps.InvocationStateInfo.State, runspace);
    }

    [SkippableFact]
    public void StabilityRunStopsAndItsLabIsGone()
    {
        var (took, state, runspace) = StopAfter("Test-GoProxyStability -Lab -Duration 00:01:00", TimeSpan.FromSeconds(4));
        using (runspace)
        {
            Assert.Equal(PSInvocationState.Stopped, state);
            Assert.True(took < TimeSpan.FromSeconds(5), $"stopping took {took}");
            using var ps = PowerShell.Create(runspace).AddScript("@(Get-GoProxyLab).Count");
            Assert.Equal(0, (int)ps.Invoke()[0].BaseObject);
        }
    }

    [SkippableFact]
    public void WatchWithoutDurationStopsOnCtrlC()
    {
        var (took, state, runspace) = StopAfter("Watch-TcpState -Interval 00:00:00.5", TimeSpan.FromSeconds(1.2));
        using (runspace)
        {
            Assert.Equal(PSInvocationState.Stopped, state);
            Assert.True(took < TimeSpan.FromSeconds(2), $"stopping took {took}");
        }
    }
}
