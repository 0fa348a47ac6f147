using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Lab;

/// <summary>Start-/Get-/Stop-GoProxyLab through a real runspace: binding, pipeline, -WhatIf, errors, lifetime.</summary>
public sealed class LabCmdletTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose()
    {
        var pids = _ps.Invoke("Get-GoProxyLab | Stop-GoProxyLab -PassThru | ForEach-Object ProcessId").Output.Select(o => (int)o.BaseObject).ToList();
        _ps.Dispose();
        pids.ForEach(LabSession.AssertExited);
    }

    private GoNetTools.GoProxyLab StartLab(string parameters = "-SyntheticModules 1")
    {
        var result = _ps.Invoke($"Start-GoProxyLab {parameters}");
        Assert.Empty(result.AllErrors);
        return result.Objects<GoNetTools.GoProxyLab>().Single();
    }

    [SkippableFact]
    public void Stop_WhatIf_leaves_the_lab_running_and_Stop_PassThru_returns_final_counts()
    {
        var lab = StartLab();
        var whatIf = _ps.Invoke("Get-GoProxyLab | Stop-GoProxyLab -WhatIf -PassThru");
        Assert.Empty(whatIf.Output);
        Assert.Equal(GoProxyLabState.Running, lab.State);
        using (var p = Process.GetProcessById(lab.ProcessId))
        {
            Assert.False(p.HasExited);
        }

        using (var client = new System.Net.Http.HttpClient(new System.Net.Http.SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }))
        {
            client.GetStringAsync(lab.Url + "/lab.gonettools.test/mod000/@v/list").Wait();
        }
        var listed = _ps.Invoke("Get-GoProxyLab").Objects<GoNetTools.GoProxyLab>().Single();
        Assert.Equal(1, listed.Statistics.Requests);

        var stopped = _ps.Invoke("Get-GoProxyLab | Stop-GoProxyLab -PassThru");
        Assert.Empty(stopped.AllErrors);
        var final = stopped.Objects<GoNetTools.GoProxyLab>().Single();
        Assert.Equal(GoProxyLabState.Stopped, final.State);
        Assert.Equal(1, final.Statistics.Requests);
        Assert.Equal(1L, final.Statistics.RequestsByKind["list"]);
        LabSession.AssertExited(lab.ProcessId);
        Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output);
    }

    [SkippableFact]
    public void Start_WhatIf_starts_nothing()
    {
        var result = _ps.Invoke("Start-GoProxyLab -WhatIf");
        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output);
    }

    [SkippableFact]
    public void Stop_by_id_and_unknown_ids_are_object_not_found_and_other_objects_ids_do_not_bind()
    {
        var lab = StartLab();
        var missing = _ps.Invoke("Get-GoProxyLab -Id 99999");
        var error = Assert.Single(missing.AllErrors);
        Assert.Equal("GoProxyLabNotFound,GoNetTools.Commands.GetGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(99999, error.TargetObject);

        // An object that merely has an Id (a capture session, anything) no longer binds to -Id from the pipeline.
        var other = _ps.Invoke($"[pscustomobject]@{{ Id = {lab.Id} }} | Stop-GoProxyLab -PassThru");
        Assert.Equal("InputObjectNotBound,GoNetTools.Commands.StopGoProxyLabCommand", Assert.Single(other.AllErrors).FullyQualifiedErrorId);
        Assert.Empty(other.Output);
        var stop = _ps.Invoke($"Stop-GoProxyLab -Id {lab.Id}, 99998 -PassThru");
        Assert.Equal(lab.Id, stop.Objects<GoNetTools.GoProxyLab>().Single().Id);
        Assert.Equal("GoProxyLabNotFound,GoNetTools.Commands.StopGoProxyLabCommand", Assert.Single(stop.AllErrors).FullyQualifiedErrorId);
        LabSession.AssertExited(lab.ProcessId);
    }

    [SkippableFact]
    public void Faults_bind_from_go_style_durations_and_bad_values_are_refused()
    {
        var lab = StartLab("-SyntheticModules 1 -Latency 250ms -HandshakeDelay 0:0:0.5 -GoAwayAfterStreams 1000");
        Assert.Equal(TimeSpan.FromMilliseconds(250), lab.Faults.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(500), lab.Faults.HandshakeDelay);
        Assert.Equal("GoAwayAfterStreams=1000, Latency=250ms, HandshakeDelay=500ms", lab.Faults.ToString());

        var percent = _ps.Invoke("Start-GoProxyLab -ResetStreamPercent 150");
        Assert.Equal("ParameterArgumentValidationError,GoNetTools.Commands.StartGoProxyLabCommand", Assert.Single(percent.AllErrors).FullyQualifiedErrorId);
        var negative = _ps.Invoke("Start-GoProxyLab -Latency '-00:00:01'");
        var error = Assert.Single(negative.AllErrors);
        Assert.Equal("InvalidInterval,GoNetTools.Commands.StartGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void Bad_module_roots_are_clear_errors()
    {
        var missing = _ps.Invoke("Start-GoProxyLab -ModuleRoot /nonexistent/gonettools-cache");
        var error = Assert.Single(missing.AllErrors);
        Assert.Equal("GoProxyLabModuleRootNotFound,GoNetTools.Commands.StartGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("/nonexistent/gonettools-cache", error.TargetObject);

        var empty = Directory.CreateTempSubdirectory("gnt-empty-root-");
        try
        {
            var result = _ps.Invoke($"Start-GoProxyLab -ModuleRoot '{empty.FullName}'");
            var emptyError = Assert.Single(result.AllErrors);
            Assert.Equal("GoProxyLabModuleRootEmpty,GoNetTools.Commands.StartGoProxyLabCommand", emptyError.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, emptyError.CategoryInfo.Category);
            Assert.Contains("go mod download", emptyError.ErrorDetails.RecommendedAction);
        }
        finally
        {
            empty.Delete(true);
        }
        Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output);
    }

    [SkippableFact]
    public void Port_in_use_is_resource_unavailable_naming_the_port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = _ps.Invoke($"Start-GoProxyLab -Port {port}");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("GoProxyLabPortInUse,GoNetTools.Commands.StartGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Equal(port, error.TargetObject);

        var free = StartLab("-SyntheticModules 1 -Port 0");
        Assert.NotEqual(port, new Uri(free.Url).Port);
    }

    [SkippableFact]
    public void Address_is_served_with_a_certificate_naming_it_and_bad_addresses_are_errors()
    {
        foreach (var (address, url) in new[] { ("127.0.0.2", "https://127.0.0.2:"), ("::1", "https://[::1]:") })
        {
            var lab = StartLab($"-SyntheticModules 1 -Address {address}");
            Assert.StartsWith(url, lab.Url, StringComparison.Ordinal);
            using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(lab.CertificatePath!));
            using var handler = new System.Net.Http.SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                errors == SslPolicyErrors.RemoteCertificateChainErrors && RawHttp2Client.Trusts(ca, cert); // name must match
            using var client = new System.Net.Http.HttpClient(handler);
            Assert.Equal("v1.0.0\nv1.1.0\n", client.GetStringAsync(lab.Url + "/lab.gonettools.test/mod000/@v/list").Result);
        }

        var bad = _ps.Invoke("Start-GoProxyLab -Address proxy.example");
        var error = Assert.Single(bad.AllErrors);
        Assert.Equal("GoProxyLabInvalidAddress,GoNetTools.Commands.StartGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("proxy.example", error.TargetObject);

        var foreign = _ps.Invoke("Start-GoProxyLab -Address 192.0.2.1"); // TEST-NET-1: not an address of this host
        Assert.Equal("GoProxyLabStartFailed,GoNetTools.Commands.StartGoProxyLabCommand", Assert.Single(foreign.AllErrors).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void Missing_lab_server_is_resource_unavailable()
    {
        var result = _ps.Invoke("$GoNetToolsLabPath = '/nonexistent/GoNetTools.Lab.dll'; Start-GoProxyLab");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("GoProxyLabNotInstalled,GoNetTools.Commands.StartGoProxyLabCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void Lab_ids_tab_complete()
    {
        var lab = StartLab();
        var completions = _ps.Invoke("(TabExpansion2 -inputScript 'Stop-GoProxyLab -Id ' -cursorColumn 20).CompletionMatches | ForEach-Object CompletionText");
        Assert.Contains(lab.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), completions.Output.Select(o => o.ToString()));
    }

    [SkippableFact]
    public void Labs_are_per_session_and_stop_when_their_runspace_closes_or_the_module_is_removed()
    {
        int closedPid, removedPid;
        using (var other = new ModuleRunspace())
        {
            closedPid = other.Invoke("(Start-GoProxyLab -SyntheticModules 1).ProcessId").Output.Single().BaseObject is int p ? p : 0;
            Assert.NotEqual(0, closedPid);
            Assert.Empty(_ps.Invoke("Get-GoProxyLab").Output); // not this session's lab
        }
        LabSession.AssertExited(closedPid);

        using (var removing = new ModuleRunspace())
        {
            removedPid = (int)removing.Invoke("(Start-GoProxyLab -SyntheticModules 1).ProcessId").Output.Single().BaseObject;
            Assert.Empty(removing.Invoke("Remove-Module GoNetTools").AllErrors);
            LabSession.AssertExited(removedPid);
        }
    }

    [SkippableFact]
    public void Lab_dies_when_its_engine_process_is_killed()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Repo.HostDll);
        start.ArgumentList.Add("-Command");
        start.ArgumentList.Add("$l = Start-GoProxyLab -SyntheticModules 1; [Console]::Out.WriteLine('LAB ' + $l.ProcessId); [Console]::Out.Flush(); [Threading.Thread]::Sleep(120000)");
        start.Environment["GONETTOOLS_MODULE"] = Repo.ModuleManifest;
        using var host = Process.Start(start)!;
        string? line;
        do
        {
            line = host.StandardOutput.ReadLine();
        }
        while (line is not null && !line.StartsWith("LAB ", StringComparison.Ordinal));
        Assert.NotNull(line);
        var labPid = int.Parse(line!.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
        using (var lab = Process.GetProcessById(labPid))
        {
            Assert.False(lab.HasExited);
        }
        host.Kill(); // SIGKILL: no ProcessExit handler runs; the lab sees its stdin pipe close
        host.WaitForExit();
        LabSession.AssertExited(labPid);
    }

    [SkippableFact]
    public void Lab_started_by_the_gonettools_host_dies_with_it()
    {
        var (code, stdout, stderr) = GoNetToolsHost.Run("(Start-GoProxyLab -SyntheticModules 1).ProcessId");
        Assert.True(code == 0, stderr);
        var pid = int.Parse(stdout.Trim().Split('\n').Last().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        LabSession.AssertExited(pid);
    }
}
