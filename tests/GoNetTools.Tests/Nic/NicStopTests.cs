using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Nic;

public sealed class NicStopTests
{
    [SkippableFact]
    public void Stopping_Get_NicInterrupt_during_its_interval_ends_it_promptly_without_output()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("GoNetToolsSystemRoot", NicFixtures.Vm);
        using var ps = PowerShell.Create(runspace);
        ps.AddScript("Get-NicInterrupt -Adapter ens3 -Interval 00:01:00");
        var watch = Stopwatch.StartNew();
        var pending = ps.BeginInvoke();
        System.Threading.Thread.Sleep(700);
        Assert.False(pending.IsCompleted);
        ps.Stop();
        Assert.True(pending.AsyncWaitHandle.WaitOne(5000));
        Assert.True(watch.Elapsed.TotalSeconds < 10, $"took {watch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }
}
