using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>
/// The three lines users run, literally, through the repository's ./gonettools (which execs out/pwsh/gonettools).
/// The first two run inside a network namespace the test makes, so what they read (and would change) is the
/// namespace's own; -WhatIf must leave every tunable and the config root untouched.
/// </summary>
[Trait("Category", "Netns")]
public sealed class UsedByLinesTests : IDisposable
{
    private readonly NetNamespace _ns = new("gnt-used");
    private readonly string _config = Directory.CreateTempSubdirectory("gnt-used-config-").FullName;

    private static string Gonettools => Path.Combine(Repo.Root, "gonettools");

    [SkippableFact]
    public void Get_TcpTimeWait_grouped_by_remote_port()
    {
        _ns.Inside(() => TimeWaitFactory.Create(new[]
        {
            (new IPEndPoint(IPAddress.Loopback, 7001), 4),
            (new IPEndPoint(IPAddress.Loopback, 7002), 2),
        }));
        var (code, stdout, stderr) = _ns.TryExec($"{Gonettools} -c \"Get-TcpTimeWait | Group-Object RemotePort\"", 120_000);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"Count\s+Name\s+Group", stdout);
        var groups = Regex.Matches(stdout, @"^\s*(\d+)\s+(\d+)\s+\{", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[2].Value}={m.Groups[1].Value}").ToList();
        // The server ends of these connections closed second, so only the client ends (remote port 7001/7002) wait.
        Assert.Equal(new[] { "7001=4", "7002=2" }, groups);
    }

    [SkippableFact]
    public void Set_TcpTuning_GoDev_WhatIf_changes_nothing()
    {
        string Dump() => _ns.Exec("sysctl -a -r ^net\\.(ipv4|core)\\.");
        var before = Dump();
        var (code, stdout, stderr) = _ns.TryExec($"env GONETTOOLS_CONFIGROOT={_config} {Gonettools} -c \"Set-TcpTuning -Profile GoDev -WhatIf\"", 120_000);
        Assert.True(code == 0, stderr);
        Assert.Contains("What if:", stdout);
        Assert.Contains("tcp_tw_reuse", stdout);
        Assert.Equal(before, Dump());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_config));
    }

    [SkippableFact]
    public void Test_GoProxyStability_Lab_Duration_5_runs_five_seconds()
    {
        var (code, stdout, stderr) = Shell.TryRun(Gonettools, "-c \"Test-GoProxyStability -Lab -Duration 5\"", 180_000);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"Verdict\s+: Stable", stdout);
        // A bare 5 is five seconds (it used to be five ticks): the replay ran rounds (1 s apart) until 5 s had passed,
        // and the run line says so; five ticks would end before a second round could start.
        var run = Regex.Match(stdout, @"Run\s+: Replay (\d+(?:\.\d+)?) s: (\d+) round");
        Assert.True(run.Success, stdout);
        double seconds = double.Parse(run.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int rounds = int.Parse(run.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seconds >= 5 && rounds >= 2, $"{rounds} round(s) in {seconds} s");
        var requests = long.Parse(Regex.Match(stdout, @"Requests\s+: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(requests >= 2 * 48, $"{requests} requests in {rounds} rounds of the lab's 16 module versions");
    }

    public void Dispose()
    {
        _ns.Dispose();
        Directory.Delete(_config, recursive: true);
    }
}
