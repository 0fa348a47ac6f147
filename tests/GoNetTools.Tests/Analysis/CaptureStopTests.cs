using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Analysis;

/// <summary>Ctrl+C (PowerShell.Stop) ends a long read promptly and cleanly.</summary>
public sealed class CaptureStopTests
{
    [SkippableFact]
    public void Stop_ends_a_long_read_promptly()
    {
        var packets = new List<(DateTime, byte[])>();
        for (var i = 0; i < 4000; i++)
        {
            var f = new SyntheticFlow(IPAddress.Parse("10.2.0.2"), 20000 + i % 40000, IPAddress.Parse("10.2.0.1"), 443, T0.AddMilliseconds(i));
            f.Handshake();
            for (var r = 0; r < 20; r++)
            {
                f.ClientSends(new byte[50]).ServerSends(new byte[50]);
            }
            f.ClientFin().ServerFin().ClientAck();
            packets.AddRange(f.Packets);
        }
        var path = Save(Pcap(packets));
        try
        {
            // Repeat the file so the read takes far longer than the stop.
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { Repo.ModuleManifest });
            using var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using var ps = PowerShell.Create(runspace);
            ps.AddScript("$p = $args[0]; Get-TcpFlow -LiteralPath (@($p) * 200) | ForEach-Object { $null }").AddArgument(path);
            var async = ps.BeginInvoke();
            Thread.Sleep(1500);
            Assert.False(async.IsCompleted); // positive control: still reading when stopped
            var clock = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
