using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Tuning;

/// <summary>
/// Live: the real engine (the gonettools host under `ip netns exec`) changes the tunables of a network
/// namespace the test made, never the host's. /proc/sys stays live (the namespace's own); etc/ and the
/// backups go to a temp folder through GONETTOOLS_CONFIGROOT. `sysctl` inside the namespace is the judge.
/// </summary>
[Trait("Category", Category.Netns)]
[Trait("Category", Category.Root)]
public sealed class TuningNamespaceTests : IDisposable
{
    private static readonly Dictionary<string, string> GoDev = new()
    {
        ["net.ipv4.tcp_tw_reuse"] = "1",
        ["net.ipv4.tcp_timestamps"] = "1",
        ["net.ipv4.ip_local_port_range"] = "10240 65535",
        ["net.ipv4.tcp_fin_timeout"] = "30",
        ["net.ipv4.tcp_slow_start_after_idle"] = "0",
    };

    private readonly NetNamespace _ns = new("gnt-tune");
    private readonly TempTree _config = new();
    private readonly string _hostTwReuse = File.ReadAllText("/proc/sys/net/ipv4/tcp_tw_reuse");

    public void Dispose()
    {
        // The host's own value must not have moved, whatever the test did inside its namespace.
        Assert.Equal(_hostTwReuse, File.ReadAllText("/proc/sys/net/ipv4/tcp_tw_reuse"));
        _ns.Dispose();
        _config.Dispose();
    }

    private (int Code, string Out, string Err) Engine(string script) =>
        GoNetToolsHost.Run(script, _ns, environment: new Dictionary<string, string> { ["GONETTOOLS_CONFIGROOT"] = _config.Root });

    /// <summary>Every net.ipv4 and net.core value in the namespace, as sysctl prints them.</summary>
    private string Dump() => _ns.TryExec("sysctl -a -r ^net\\.(ipv4|core)\\.").Stdout;

    private string Sysctl(string key) => _ns.Exec("sysctl -n " + key).Trim().Replace('\t', ' ');

    private static string ErrorOf(string script) =>
        $"try {{ {script} -ErrorAction Stop }} catch {{ 'ERROR ' + $_.FullyQualifiedErrorId + ' ' + $_.CategoryInfo.Category }}";

    [SkippableFact]
    public void WhatIf_changes_nothing_in_the_namespace()
    {
        var before = Dump();
        Assert.Contains("net.ipv4.tcp_tw_reuse = 2", before);
        var (code, stdout, stderr) = Engine("Set-TcpTuning -Profile GoDev -Persist -WhatIf");
        Assert.True(code == 0, stderr);
        Assert.Contains($"\"Set from 2 to 1\" on target \"net.ipv4.tcp_tw_reuse (TimeWaitReuse) in net:[", stdout);
        Assert.Contains($"({_ns.Name})", stdout);
        Assert.Equal(before, Dump());
        Assert.Empty(Directory.GetFileSystemEntries(_config.Root));
    }

    [SkippableFact]
    public void Confirm_false_applies_GoDev_and_Undo_restores_exactly()
    {
        var before = Dump();
        var (code, stdout, stderr) = Engine("Set-TcpTuning -Profile GoDev -Confirm:$false | ForEach-Object { '{0}={1}' -f $_.Key, $_.Status }");
        Assert.True(code == 0, stderr);
        Assert.Contains("net.ipv4.tcp_tw_reuse=Applied", stdout);
        foreach (var (key, value) in GoDev)
        {
            Assert.Equal(value, Sysctl(key));
        }
        Assert.NotEqual(before, Dump());

        var undo = Engine("Undo-TcpTuning -Latest -Confirm:$false | ForEach-Object { '{0}={1}' -f $_.Key, $_.NewValue }");
        Assert.True(undo.Code == 0, undo.Err);
        Assert.Contains("net.ipv4.ip_local_port_range=32768 60999", undo.Out);
        Assert.Equal(before, Dump());
    }

    [SkippableFact]
    public void A_forced_failure_on_the_third_of_five_leaves_all_five_at_their_old_values()
    {
        _ns.Exec("sysctl -w net.ipv4.tcp_timestamps=0"); // so every one of GoDev's five values is a change
        var before = Dump();
        var (_, stdout, _) = Engine("$GoNetToolsTuningFailAt = 3; " +
            ErrorOf("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false | ForEach-Object { '{0}={1}' -f $_.Key, $_.Status }"));
        var statuses = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains('=')).ToList();
        Assert.Equal(5, statuses.Count);
        Assert.Equal(new[] { "RolledBack", "RolledBack", "Failed", "NotAttempted", "NotAttempted" }, statuses.Select(s => s.Split('=')[1]));
        Assert.Contains("ERROR TunableWriteFailed,GoNetTools.Commands.SetTcpTuningCommand WriteError", stdout);
        Assert.Equal(before, Dump());
        Assert.Equal("0", Sysctl("net.ipv4.tcp_timestamps"));
        Assert.False(File.Exists(Path.Combine(_config.Root, "etc/sysctl.d/90-gonettools.conf")));
    }

    [SkippableTheory]
    [InlineData("../../../proc/sys/net/ipv4/tcp_tw_reuse")]
    [InlineData("/proc/sys/net/ipv4/tcp_tw_reuse")]
    [InlineData("net/ipv4/tcp_tw_reuse")]
    public void A_path_like_name_is_refused_and_writes_nothing(string name)
    {
        var before = Dump();
        var (_, stdout, _) = Engine(ErrorOf($"Set-TcpTuning -Name '{name}' -Value 1 -Persist -Confirm:$false"));
        Assert.Contains("ERROR UnknownTunable,GoNetTools.Commands.SetTcpTuningCommand InvalidArgument", stdout);
        Assert.Equal(before, Dump());
        Assert.Empty(Directory.GetFileSystemEntries(_config.Root));
    }

    [SkippableFact]
    public void Persist_writes_a_file_that_sysctl_p_loads_into_a_fresh_namespace()
    {
        var (code, _, stderr) = Engine("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false");
        Assert.True(code == 0, stderr);
        var file = Path.Combine(_config.Root, "etc/sysctl.d/90-gonettools.conf");
        Assert.True(File.Exists(file));
        using var fresh = new NetNamespace("gnt-tune2");
        Assert.Equal("2", fresh.Exec("sysctl -n net.ipv4.tcp_tw_reuse").Trim());
        var (loadCode, loaded, loadErr) = fresh.TryExec($"sysctl -p {file}");
        Assert.True(loadCode == 0, loadErr);
        Assert.Contains("net.ipv4.tcp_tw_reuse = 1", loaded);
        foreach (var (key, value) in GoDev.Where(g => g.Key != "net.ipv4.tcp_timestamps"))
        {
            Assert.Equal(value, fresh.Exec("sysctl -n " + key).Trim().Replace('\t', ' '));
        }

        var undo = Engine("Undo-TcpTuning -Latest -Confirm:$false");
        Assert.True(undo.Code == 0, undo.Err);
        Assert.False(File.Exists(file));
    }

    [SkippableFact]
    public void Test_TcpTuning_finds_each_seeded_myth_and_drift_with_evidence()
    {
        _ns.Exec("sysctl -w net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_timestamps=0 net.ipv4.tcp_max_tw_buckets=1024");
        _ns.Exec("sysctl -w \"net.ipv4.ip_local_port_range=32768 60998\"");
        _config.Write("etc/sysctl.d/99-legacy.conf", "# from an old blog post\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.ip_local_port_range = 1000 65535\n");
        _config.Write("etc/sysctl.conf", "net.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_max_tw_buckets = 2000\n");
        var (code, stdout, stderr) = Engine("Test-TcpTuning -Profile GoDev | ForEach-Object { '{0}|{1}' -f $_.Rule, $_.Evidence }; 'QUIET=' + (Test-TcpTuning -Quiet)");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Assert.Contains("ReuseWithoutTimestamps|net.ipv4.tcp_tw_reuse = 1; net.ipv4.tcp_timestamps = 0", lines);
        Assert.Contains("RecycleConfigured|/etc/sysctl.d/99-legacy.conf:2: net.ipv4.tcp_tw_recycle = 1", lines);
        Assert.Contains("MaxTimeWaitBucketsLowered|live net.ipv4.tcp_max_tw_buckets = 1024", lines);
        Assert.Contains("MaxTimeWaitBucketsLowered|/etc/sysctl.conf:2: net.ipv4.tcp_max_tw_buckets = 2000", lines);
        Assert.Contains("PortRangeParity|live net.ipv4.ip_local_port_range = 32768 60998", lines);
        Assert.Contains("PortRangeBelow1024|/etc/sysctl.d/99-legacy.conf:3: net.ipv4.ip_local_port_range = 1000 65535", lines);
        Assert.Contains("PersistedDrift|live net.ipv4.tcp_fin_timeout = 60; /etc/sysctl.conf:1: net.ipv4.tcp_fin_timeout = 30", lines);
        Assert.Contains("ProfileMismatch|net.ipv4.tcp_timestamps = 0", lines);
        Assert.Contains("QUIET=False", lines);
    }

    [SkippableFact]
    public void Without_root_Set_is_PermissionDenied_and_WhatIf_still_works()
    {
        var before = Dump();
        var script = "Set-TcpTuning -Profile GoDev -WhatIf; " + ErrorOf("Set-TcpTuning -Profile GoDev -Confirm:$false");
        var escaped = "\"" + script.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var (code, stdout, stderr) = _ns.TryExec(
            $"setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp GONETTOOLS_MODULE={Repo.ModuleManifest} GONETTOOLS_CONFIGROOT={_config.Root} dotnet \"{Repo.HostDll}\" -Command {escaped}",
            120_000);
        Assert.True(stdout.Length > 0, $"exit {code}: {stderr}");
        Assert.Contains("What if:", stdout);
        Assert.Contains("ERROR TuningRequiresRoot,GoNetTools.Commands.SetTcpTuningCommand PermissionDenied", stdout);
        Assert.Equal(before, Dump());
    }
}
