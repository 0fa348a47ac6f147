using System.Diagnostics;
using System.IO;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Capture;

/// <summary>What happens to files when a session ends other than by Stop-PacketCapture, and the small contracts around it.</summary>
[Trait("Category", Category.Root)]
[Collection("capture")]
public sealed class CaptureLifecycleTests
{
    [SkippableFact]
    public void Remove_Module_stops_running_sessions_with_complete_files()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "removed.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        using var rs = new ModuleRunspace();
        Assert.Empty(rs.Invoke($"Start-PacketCapture lo 'udp port {port}' -Path {CaptureTraffic.Quote(file)}").AllErrors);
        CaptureTraffic.SendUdp(port, 25, 100);
        Assert.Empty(rs.Invoke("Remove-Module GoNetTools").AllErrors);
        Assert.Equal(25, CaptureTraffic.TsharkCount(file));
        CaptureTraffic.SendUdp(port, 10, 100); // after removal nothing captures any more
        System.Threading.Thread.Sleep(600);
        Assert.Equal(25, CaptureTraffic.TsharkCount(file));
    }

    /// <summary>
    /// The one ownership rule (Core/SessionRegistry) for both kinds of session: another runspace's Remove-Module leaves a
    /// runspace's capture and lab running; the owner's own Remove-Module stops both.
    /// </summary>
    [SkippableFact]
    public void Remove_Module_stops_the_captures_and_labs_of_its_own_runspace_only()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "owned.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        using var owner = new ModuleRunspace();
        var started = owner.Invoke($"(Start-PacketCapture lo 'udp port {port}' -Path {CaptureTraffic.Quote(file)}).Id; (Start-GoProxyLab -SyntheticModules 1).ProcessId");
        Assert.Empty(started.AllErrors);
        var captureId = (int)started.Output[0].BaseObject;
        var labPid = (int)started.Output[1].BaseObject;
        using (var other = new ModuleRunspace())
        {
            Assert.Empty(other.Invoke("Remove-Module GoNetTools").AllErrors);
        }
        var after = owner.Invoke($"(Get-PacketCapture -Id {captureId}).State.ToString(); (Get-GoProxyLab).State.ToString()");
        Assert.Equal(new[] { "Running", "Running" }, after.Output.Select(o => o.ToString()).ToArray());
        CaptureTraffic.SendUdp(port, 5, 100);

        Assert.Empty(owner.Invoke("Remove-Module GoNetTools").AllErrors);
        LabSession.AssertExited(labPid);
        Assert.Equal(5, CaptureTraffic.TsharkCount(file));
        using var observer = new ModuleRunspace(); // captures are listed process-wide, stopped ones too
        Assert.Equal("Stopped", observer.Invoke($"(Get-PacketCapture -Id {captureId}).State.ToString()").Output.Single().ToString());
    }

    [SkippableFact]
    public void Exiting_the_host_stops_running_sessions_with_complete_files()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "exit.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        // The host exits right after sending: well inside the one-second flush, so only the ProcessExit stop
        // (drain, flush, close) puts these packets in the file.
        var script = $"$null = Start-PacketCapture lo 'udp port {port}' -Path '{file}'; " +
            "$tx = [System.Net.Sockets.UdpClient]::new(); $p = [byte[]]::new(64); " +
            $"foreach ($i in 1..15) {{ [void]$tx.Send($p, $p.Length, '127.0.0.1', {port}) }}";
        var (_, stdout, stderr) = GoNetToolsHost.Run(script);
        Assert.True(File.Exists(file), stdout + stderr);
        Assert.Equal(15, CaptureTraffic.TsharkCount(file));
    }

    [SkippableFact]
    public void A_killed_host_leaves_a_file_readable_up_to_the_last_flush()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "killed.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        var script = $"$null = Start-PacketCapture lo 'udp port {port}' -Path '{file}'; " +
            "$tx = [System.Net.Sockets.UdpClient]::new(); $p = [byte[]]::new(64); " +
            $"foreach ($i in 1..40) {{ [void]$tx.Send($p, $p.Length, '127.0.0.1', {port}) }}; " +
            "[System.Threading.Thread]::Sleep(2500); [Console]::Out.WriteLine('ready'); [Console]::Out.Flush(); [System.Threading.Thread]::Sleep(60000)";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Repo.HostDll);
        psi.ArgumentList.Add("-Command");
        psi.ArgumentList.Add(script);
        psi.Environment["GONETTOOLS_MODULE"] = Repo.ModuleManifest;
        using var host = Process.Start(psi)!;
        string? line;
        while ((line = host.StandardOutput.ReadLine()) is not null && line != "ready")
        {
        }
        Assert.Equal("ready", line);
        host.Kill(); // SIGKILL: no ProcessExit handler runs, only what was flushed survives
        host.WaitForExit();
        Assert.Equal(40, CaptureTraffic.TsharkCount(file));
    }

    [SkippableFact]
    public void Ctrl_C_ends_a_Wait_capture_cleanly_after_showing_progress()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "ctrlc.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        var state = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Repo.ModuleManifest });
        using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript($"Start-PacketCapture lo 'udp port {port}' -Path '{file}' -Wait");
        var running = ps.BeginInvoke();
        var deadline = System.DateTime.UtcNow.AddSeconds(10);
        while (!ps.Streams.Progress.Any(p => p.StatusDescription.Contains("packets", System.StringComparison.Ordinal)) && System.DateTime.UtcNow < deadline)
        {
            CaptureTraffic.SendUdp(port, 5, 50);
            System.Threading.Thread.Sleep(100);
        }
        Assert.Contains(ps.Streams.Progress, p => p.StatusDescription.Contains("packets", System.StringComparison.Ordinal));
        ps.Stop(); // what Ctrl+C does: StopProcessing on the running cmdlet
        Assert.True(running.IsCompleted);
        using var check = System.Management.Automation.PowerShell.Create(runspace);
        var sessions = check.AddCommand("Get-PacketCapture").Invoke().Select(o => (CaptureSession)o.BaseObject).ToList();
        var session = Assert.Single(sessions, s => s.Path == file); // the registry is process-wide: other tests' sessions are listed too
        Assert.Equal(CaptureState.Stopped, session.State);
        Assert.True(session.Packets >= 5);
        Assert.Equal(session.Packets, CaptureTraffic.TsharkCount(file));
    }

    [SkippableFact]
    public void Stop_WhatIf_leaves_the_session_running_and_All_stops_it()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "whatif-stop.pcap");
        using var rs = new ModuleRunspace();
        var id = Assert.Single(rs.Invoke($"Start-PacketCapture lo 'udp port 9' -Path {CaptureTraffic.Quote(file)}").Objects<CaptureSession>()).Id;
        var whatIf = rs.Invoke($"Stop-PacketCapture -Id {id} -WhatIf");
        Assert.Empty(whatIf.AllErrors);
        Assert.Empty(whatIf.Output);
        Assert.Equal(CaptureState.Running, Assert.Single(rs.Invoke($"Get-PacketCapture -Id {id}").Objects<CaptureSession>()).State);
        var all = rs.Invoke("Stop-PacketCapture -All");
        Assert.Contains(all.Objects<CaptureSession>(), s => s.Id == id && s.State == CaptureState.Stopped);
        Assert.DoesNotContain(rs.Invoke("Get-PacketCapture").Objects<CaptureSession>(), s => s.Id == id && s.State == CaptureState.Running);
    }

    [SkippableFact]
    public void Adapter_completes_live_names_and_the_default_path_is_the_current_location()
    {
        var dir = CaptureTraffic.TempDir();
        using var rs = new ModuleRunspace();
        const string Line = "Start-PacketCapture -Adapter l";
        var completion = rs.Invoke($"(TabExpansion2 -inputScript '{Line}' -cursorColumn {Line.Length}).CompletionMatches | ForEach-Object CompletionText");
        Assert.Contains("lo", completion.Output.Select(o => o.BaseObject));
        var started = rs.Invoke($"$null = $ExecutionContext.SessionState.Path.SetLocation({CaptureTraffic.Quote(dir)}); Start-PacketCapture lo 'udp port 9' | Stop-PacketCapture");
        Assert.Empty(started.AllErrors);
        var session = Assert.Single(started.Objects<CaptureSession>());
        Assert.Equal(dir, Path.GetDirectoryName(session.Path));
        Assert.Matches(@"capture_lo_\d{8}_\d{6}\.pcap$", session.Path);
        Assert.True(File.Exists(session.Path));
    }
}
