using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GoNetTools.Foundation.Files;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Tuning;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Hostile;

/// <summary>
/// The real engine (the gonettools host under `ip netns exec`) in a namespace the test made, config and backups in a
/// temp root: crafted backups reach neither the kernel nor the persisted file; two overlapping -Persist runs keep
/// both sets of keys; Set + Undo gives the persisted file back byte for byte with its mode, owner, comments and '-'
/// prefixes; a backup from another namespace with the same inode is refused and says what differs.
/// </summary>
public sealed class TuningHostileNamespaceTests : IDisposable
{
    /// <summary>A persisted file someone keeps by hand: comments, a '-' prefix, a foreign key, odd spacing, no header.</summary>
    private const string HandKept =
        "# kept by the ops team; do not reorder\n" +
        "-net.ipv4.tcp_tw_reuse = 2\n" +
        "kernel.printk = 4 4 1 7\n" +
        "; old style comment\n" +
        "net.ipv4.tcp_fin_timeout=60\n" +
        "net.core.somaxconn   =   4096   \n" +
        "# end\n";

    private readonly NetNamespace _ns = new("gnt-hostile");
    private readonly TempTree _config = new();

    public void Dispose()
    {
        _ns.Dispose();
        _config.Dispose();
    }

    private string Persisted => _config.PathOf("etc/sysctl.d/90-gonettools.conf");

    private string Backups => _config.PathOf("var/lib/gonettools/backups");

    private (int Code, string Out, string Err) Engine(string script, Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string> { ["GONETTOOLS_CONFIGROOT"] = _config.Root };
        foreach (var (k, v) in extra ?? new())
        {
            env[k] = v;
        }
        return GoNetToolsHost.Run(script, _ns, environment: env);
    }

    private string Dump() => _ns.TryExec("sysctl -a -r ^net\\.(ipv4|core)\\.").Stdout;

    private void KeepByHand()
    {
        _config.Write("etc/sysctl.d/90-gonettools.conf", HandKept);
        File.SetUnixFileMode(Persisted, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Shell.Run("chown", $"65534:65534 {Persisted}");
    }

    [SkippableFact]
    public void Set_then_Undo_gives_the_persisted_file_back_byte_for_byte_with_mode_owner_comments_and_prefixes()
    {
        KeepByHand();
        var before = File.ReadAllBytes(Persisted);
        var set = Engine("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false | Out-Null; 'done'");
        Assert.True(set.Code == 0, set.Err);
        var during = File.ReadAllText(Persisted);
        // In place: the '-' prefix, comments, the foreign key and the order stay; new keys are appended.
        Assert.StartsWith("# kept by the ops team; do not reorder\n-net.ipv4.tcp_tw_reuse = 1\nkernel.printk = 4 4 1 7\n; old style comment\nnet.ipv4.tcp_fin_timeout=30\n", during);
        Assert.Contains("net.ipv4.ip_local_port_range = 10240 65535\n", during);
        var facts = PosixFiles.Stat(Persisted, followLinks: false);
        Assert.Equal((65534u, 0x180), (facts.Owner, facts.Mode));
        Assert.NotEqual(before, File.ReadAllBytes(Persisted)); // positive control: Set did change the file

        var undo = Engine("Undo-TcpTuning -Latest -Confirm:$false | Out-Null; 'done'");
        Assert.True(undo.Code == 0, undo.Err);
        Assert.Equal(before, File.ReadAllBytes(Persisted));
        facts = PosixFiles.Stat(Persisted, followLinks: false);
        Assert.Equal((65534u, 0x180), (facts.Owner, facts.Mode));
        // The backup folder and files are root's alone.
        Assert.Equal(0x1C0, PosixFiles.Stat(Backups, followLinks: false).Mode);
        Assert.All(Directory.GetFiles(Backups), f => Assert.Equal(0x180, PosixFiles.Stat(f, followLinks: false).Mode));
    }

    [SkippableFact]
    public void Two_overlapping_Persist_runs_keep_both_sets_of_keys()
    {
        KeepByHand();
        // Each run holds the lock 3 s between reading and replacing the file; without the lock the later rename
        // would drop the earlier run's key.
        var pause = new Dictionary<string, string> { ["GONETTOOLS_TUNING_LOCKPAUSE"] = "3000" };
        const string Stamp = "[DateTime]::UtcNow.ToString('o')";
        var a = Task.Run(() => Engine($"'START=' + {Stamp}; Set-TcpTuning -Name SynRetries -Value 3 -Persist -Confirm:$false | Out-Null; 'END=' + {Stamp}", pause));
        var b = Task.Run(() => Engine($"'START=' + {Stamp}; Set-TcpTuning -Name SlowStartAfterIdle -Value 0 -Persist -Confirm:$false | Out-Null; 'END=' + {Stamp}", pause));
        Task.WaitAll(a, b);
        Assert.True(a.Result.Code == 0 && b.Result.Code == 0, a.Result.Err + b.Result.Err);
        DateTime At(string output, string name) => DateTime.Parse(output.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..].Trim(),
            null, System.Globalization.DateTimeStyles.RoundtripKind);
        // The runs really overlapped (each started before the other ended), so the lock had something to do.
        Assert.True(At(a.Result.Out, "START") < At(b.Result.Out, "END") && At(b.Result.Out, "START") < At(a.Result.Out, "END"), a.Result.Out + b.Result.Out);
        var text = File.ReadAllText(Persisted);
        Assert.Contains("net.ipv4.tcp_syn_retries = 3\n", text);
        Assert.Contains("net.ipv4.tcp_slow_start_after_idle = 0\n", text);
        Assert.StartsWith(HandKept, text);
        Assert.Equal("3", _ns.Exec("sysctl -n net.ipv4.tcp_syn_retries").Trim());
    }

    [SkippableFact]
    public void Crafted_backups_reach_neither_the_kernel_nor_the_persisted_file_and_the_listing_goes_on()
    {
        KeepByHand();
        // A genuine backup first (Set on a tunable, then put back), so crafted files can start from the real shape.
        var set = Engine("Set-TcpTuning -Name SynRetries -Value 5 -Persist -Confirm:$false | Out-Null; Undo-TcpTuning -Latest -Confirm:$false | Out-Null; 'ok'");
        Assert.True(set.Code == 0, set.Err);
        var genuine = Directory.GetFiles(Backups).Single();
        var shape = JsonNode.Parse(File.ReadAllText(genuine))!.AsObject();
        var crafted = new Dictionary<string, Action<JsonObject>>
        {
            ["Values.FinWait2Timeout"] = j => j["Values"]!["FinWait2Timeout"] = "999999",
            ["Values.MaxTimeWaitBuckets"] = j => j["Values"]!["MaxTimeWaitBuckets"] = "10",
            ["Values.TimeWaitReuse"] = j => j["Values"]!["TimeWaitReuse"] = "abc",
            ["Values"] = j => j["Values"] = null,
            ["PersistedSettings[0].Key"] = j => j["PersistedSettings"] = new JsonArray(new JsonObject { ["Key"] = "kernel.core_pattern", ["Value"] = "|/path/prog" }),
            ["PersistedSettings[0].Value"] = j => j["PersistedSettings"] = new JsonArray(new JsonObject { ["Key"] = "net.ipv4.tcp_fin_timeout", ["Value"] = "30\nkernel.core_pattern = |/path/prog" }),
        };
        var files = new List<(string Field, string Path)>();
        var n = 0;
        foreach (var (field, craft) in crafted)
        {
            var copy = shape.DeepClone().AsObject();
            craft(copy);
            var path = Path.Combine(Backups, $"tuning-2099010{n++}T000000000Z.json");
            File.WriteAllText(path, copy.ToJsonString());
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            files.Add((field, path));
        }
        var kernel = Dump();
        var persisted = File.ReadAllBytes(Persisted);
        var script = string.Join("; ", files.Select(f =>
            $"try {{ Undo-TcpTuning -Backup '{f.Path}' -Force -Confirm:$false -ErrorAction Stop | Out-Null; 'APPLIED {f.Field}' }} catch {{ 'REFUSED ' + $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message }}"))
            + "; $listed = Get-TcpTuningBackup -ErrorVariable bad -ErrorAction SilentlyContinue; 'LISTED=' + @($listed).Count + ' ERRORS=' + $bad.Count"
            + "; 'LATEST=' + (Get-TcpTuningBackup -Latest -ErrorAction SilentlyContinue).Path";
        var (code, stdout, stderr) = Engine(script);
        Assert.True(stdout.Length > 0, $"exit {code}: {stderr}");
        foreach (var (field, _) in files)
        {
            Assert.Contains(stdout.Split('\n'), l => l.StartsWith("REFUSED TuningBackupInvalid,GoNetTools.Commands.UndoTcpTuningCommand", StringComparison.Ordinal)
                && l.Contains($": {field}:", StringComparison.Ordinal));
        }
        Assert.DoesNotContain("APPLIED", stdout);
        Assert.Equal(kernel, Dump());
        Assert.Equal(persisted, File.ReadAllBytes(Persisted));
        // One bad file never hides the others: the genuine backup is listed, each crafted one is an error, and
        // -Latest (the same rule Undo -Latest uses) skips the newer crafted files for the newest valid one.
        Assert.Contains($"LISTED=1 ERRORS={files.Count}", stdout);
        Assert.Contains($"LATEST={genuine}", stdout);
    }

    [SkippableFact]
    public void A_backup_from_another_namespace_with_the_same_inode_needs_Force_and_says_what_differs()
    {
        var set = Engine("Set-TcpTuning -Name SynRetries -Value 4 -Confirm:$false | Out-Null; 'ok'");
        Assert.True(set.Code == 0, set.Err);
        var path = Directory.GetFiles(Backups).Single();
        var backup = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.NotNull(backup["NamespaceCookie"]); // this kernel has SO_NETNS_COOKIE
        // Same inode (as a new namespace can inherit), another name and cookie: what an inode-only check let through.
        backup["NamespaceName"] = "gnt-deleted-namespace";
        backup["NamespaceCookie"] = (ulong)backup["NamespaceCookie"]! + 1;
        File.WriteAllText(path, backup.ToJsonString());
        var (_, stdout, _) = Engine("try { Undo-TcpTuning -Latest -Confirm:$false -ErrorAction Stop } catch { 'REFUSED ' + $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message }");
        Assert.Contains("REFUSED TuningBackupScopeMismatch", stdout);
        Assert.Contains($"namespace name: backup 'gnt-deleted-namespace', here '{_ns.Name}'", stdout);
        Assert.Contains("namespace cookie: backup", stdout);
        Assert.DoesNotContain("namespace inode", stdout); // the inode is the same: the message names only what differs
        Assert.Equal("4", _ns.Exec("sysctl -n net.ipv4.tcp_syn_retries").Trim());

        var forced = Engine("Undo-TcpTuning -Latest -Force -Confirm:$false 3>&1 | ForEach-Object { \"$_\" }");
        Assert.Contains("-Force: restoring", forced.Out);
        Assert.Equal("6", _ns.Exec("sysctl -n net.ipv4.tcp_syn_retries").Trim());
    }
}
