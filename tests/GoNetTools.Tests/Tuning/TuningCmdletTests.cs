using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Tuning;

/// <summary>
/// The five cmdlets through a real in-process runspace on a copied fixture root ($GoNetToolsSystemRoot for
/// proc/sys, $GoNetToolsConfigRoot for etc/ and backups): binding, completion, -WhatIf, error ids and categories.
/// </summary>
public sealed class TuningCmdletTests : IDisposable
{
    private readonly TempTree _tree = new("tuning/linux-root");
    private readonly ModuleRunspace _ps = new();

    public void Dispose()
    {
        _ps.Dispose();
        _tree.Dispose();
    }

    private PipelineResult Run(string script, int? failAt = null) => _ps.Invoke(script, new Dictionary<string, object?>
    {
        ["GoNetToolsSystemRoot"] = _tree.Root,
        ["GoNetToolsConfigRoot"] = _tree.Root,
        ["GoNetToolsTuningFailAt"] = failAt,
    });

    private static ErrorRecord One(PipelineResult result) => Assert.Single(result.AllErrors);

    private string Proc(string name) => _tree.Read("proc/sys/net/ipv4/" + name).Trim();

    /// <summary>Every file under the root with its content: proof that nothing was written.</summary>
    private Dictionary<string, string> Files() => Directory.GetFiles(_tree.Root, "*", SearchOption.AllDirectories)
        .ToDictionary(f => f, File.ReadAllText);

    [SkippableFact]
    public void Get_lists_the_catalog_with_scope_profile_and_facts()
    {
        var all = Run("Get-TcpTuning").Objects<TcpTunable>().ToList();
        Assert.Equal(10, all.Count);
        Assert.All(all, t => Assert.StartsWith("fixture ", t.Scope));
        var fin = all.Single(t => t.Name == "FinWait2Timeout");
        Assert.Equal("60", fin.Value);
        Assert.Contains("does NOT change TIME_WAIT", fin.Description);

        var goDev = Run("Get-TcpTuning -Profile GoDev -Name Time*, net.ipv4.ip_local_port_range").Objects<TcpTunable>().ToList();
        Assert.Equal(new[] { "TimeWaitReuse", "TimeWaitReuseDelay", "LocalPortRange", "Timestamps" }, goDev.Select(t => t.Name));
        Assert.False(goDev[0].Compliant);
        Assert.Null(goDev[1].Compliant);
        Assert.True(goDev[3].Compliant);
        Assert.Equal("10240 65535", goDev[2].ProfileValue);
    }

    [SkippableFact]
    public void Get_with_an_unknown_name_writes_ObjectNotFound_and_goes_on()
    {
        var result = Run("Get-TcpTuning -Name NoSuchThing, Timestamps");
        Assert.Single(result.Objects<TcpTunable>());
        var error = Assert.Single(result.Errors);
        Assert.Equal("UnknownTunable,GoNetTools.Commands.GetTcpTuningCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("NoSuchThing", error.TargetObject);
    }

    [SkippableTheory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/proc/sys/kernel/core_pattern")]
    [InlineData("net.ipv4.tcp_tw_recycle")]
    public void Set_refuses_a_name_outside_the_catalog_before_touching_anything(string name)
    {
        var before = Files();
        var result = Run($"Set-TcpTuning -Name '{name}' -Value 1 -Confirm:$false");
        Assert.Equal("UnknownTunable,GoNetTools.Commands.SetTcpTuningCommand", One(result).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, One(result).CategoryInfo.Category);
        Assert.Equal(before, Files());
    }

    [SkippableTheory]
    [InlineData("Set-TcpTuning -Name LocalPortRange -Value 1000, 65535 -Confirm:$false", "InvalidTunableValue")]
    [InlineData("Set-TcpTuning -Name LocalPortRange -Value 10000, 60000 -Confirm:$false", "InvalidTunableValue")]
    [InlineData("Set-TcpTuning -Name TimeWaitReuse -Value 5 -Confirm:$false", "InvalidTunableValue")]
    [InlineData("Set-TcpTuning -Name MaxTimeWaitBuckets -Value 1024 -Confirm:$false", "InvalidTunableValue")]
    [InlineData("Set-TcpTuning -Profile NoSuchProfile -Confirm:$false", "UnknownTuningProfile")]
    public void Bad_input_is_InvalidArgument_and_writes_nothing(string script, string id)
    {
        var before = Files();
        var result = Run(script);
        Assert.StartsWith(id + ",", One(result).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, One(result).CategoryInfo.Category);
        Assert.False(string.IsNullOrEmpty(One(result).ErrorDetails.RecommendedAction));
        Assert.Equal(before, Files());
    }

    [SkippableFact]
    public void WhatIf_changes_nothing_and_takes_no_backup()
    {
        var before = Files();
        var result = Run("Set-TcpTuning -Profile GoDev -Persist -WhatIf");
        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.Equal(before, Files());
    }

    [SkippableFact]
    public void Set_applies_persists_and_Undo_restores_exactly()
    {
        var before = Files();
        var changes = Run("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false").Objects<TcpTuningChange>().ToList();
        Assert.Equal(5, changes.Count);
        Assert.Equal(TuningChangeStatus.Unchanged, changes.Single(c => c.Name == "Timestamps").Status);
        Assert.All(changes.Where(c => c.Name != "Timestamps"), c => Assert.True(c.Applied && c.Persisted && File.Exists(c.BackupPath)));
        Assert.Equal("1", Proc("tcp_tw_reuse"));
        Assert.Equal("10240 65535", Proc("ip_local_port_range"));
        Assert.Equal("0", Proc("tcp_slow_start_after_idle"));
        Assert.Contains("net.ipv4.tcp_fin_timeout = 30", _tree.Read("etc/sysctl.d/90-gonettools.conf"));
        Assert.True(Run("Test-TcpTuning -Profile GoDev -Quiet").Objects<bool>().Single());

        var backup = Run("Get-TcpTuningBackup -Latest").Objects<TcpTuningBackup>().Single();
        Assert.Equal("2", backup.Values["TimeWaitReuse"]);
        Assert.False(backup.PersistedExisted);

        var undo = Run("Get-TcpTuningBackup | Undo-TcpTuning -Confirm:$false");
        Assert.Empty(undo.AllErrors);
        Assert.Equal(4, undo.Objects<TcpTuningChange>().Count());
        var after = Files();
        Assert.Equal(before, after.Where(f => !f.Key.Contains("/var/lib/gonettools/", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value),
            new ProcValueComparer());
    }

    [SkippableFact]
    public void A_failure_on_the_third_of_five_leaves_all_five_at_their_old_values()
    {
        Run("Set-TcpTuning -Name Timestamps -Value 0 -Confirm:$false"); // so all five GoDev values differ
        var before = Files().Where(f => f.Key.Contains("/proc/sys/", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value);
        var result = Run("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false", failAt: 3);
        Assert.Equal("TunableWriteFailed,GoNetTools.Commands.SetTcpTuningCommand", One(result).FullyQualifiedErrorId);
        Assert.Contains("put back", One(result).ErrorDetails.Message);
        Assert.Equal(new[] { TuningChangeStatus.RolledBack, TuningChangeStatus.RolledBack, TuningChangeStatus.Failed, TuningChangeStatus.NotAttempted, TuningChangeStatus.NotAttempted },
            result.Objects<TcpTuningChange>().Select(c => c.Status));
        Assert.Equal(before, Files().Where(f => f.Key.Contains("/proc/sys/", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value), new ProcValueComparer());
        Assert.False(File.Exists(_tree.PathOf("etc/sysctl.d/90-gonettools.conf")));
    }

    [SkippableFact]
    public void Persist_after_a_live_only_apply_still_writes_every_profile_value()
    {
        Run("Set-TcpTuning -Profile GoDev -Confirm:$false");
        Assert.False(File.Exists(_tree.PathOf("etc/sysctl.d/90-gonettools.conf")));
        var records = Run("Set-TcpTuning -Profile GoDev -Persist -Confirm:$false").Objects<TcpTuningChange>().ToList();
        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.True(r.Status == TuningChangeStatus.Unchanged && r.Persisted));
        var persisted = _tree.Read("etc/sysctl.d/90-gonettools.conf");
        Assert.Contains("net.ipv4.tcp_timestamps = 1\n", persisted);
        Assert.Contains("net.ipv4.ip_local_port_range = 10240 65535\n", persisted);
        Assert.Equal(2, Directory.GetFiles(_tree.PathOf("var/lib/gonettools/backups")).Length);
    }

    [SkippableFact]
    public void Piped_tunables_get_their_profile_value_and_PassThru_returns_them()
    {
        var result = Run("Get-TcpTuning -Profile GoDev | Where-Object { $_.Compliant -eq $false } | Set-TcpTuning -Confirm:$false -PassThru");
        Assert.Empty(result.AllErrors);
        Assert.Equal(4, result.Objects<TcpTuningChange>().Count(c => c.Applied));
        Assert.All(result.Objects<TcpTunable>(), t => Assert.NotNull(t.Value));
        Assert.Equal("30", Proc("tcp_fin_timeout"));
    }

    [SkippableFact]
    public void Test_reports_seeded_myths_and_Quiet_returns_a_boolean()
    {
        Assert.True(Run("Test-TcpTuning -Quiet").Objects<bool>().Single());
        _tree.Write("etc/sysctl.d/99-old.conf", "net.ipv4.tcp_tw_recycle = 1\n");
        var findings = Run("Test-TcpTuning").Objects<TcpTuningFinding>().ToList();
        var finding = Assert.Single(findings);
        Assert.Equal("RecycleConfigured", finding.Rule);
        Assert.Equal("/etc/sysctl.d/99-old.conf:1: net.ipv4.tcp_tw_recycle = 1", finding.Evidence);
        Assert.False(Run("Test-TcpTuning -Quiet").Objects<bool>().Single());
    }

    [SkippableFact]
    public void Undo_errors_have_ids_and_categories()
    {
        var none = Run("Undo-TcpTuning -Latest -Confirm:$false");
        Assert.Equal("TuningBackupNotFound,GoNetTools.Commands.UndoTcpTuningCommand", One(none).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, One(none).CategoryInfo.Category);

        _tree.Write("var/lib/gonettools/backups/tuning-20990101T000000000Z.json", "{ not json");
        var listed = Run("Get-TcpTuningBackup");
        Assert.Equal("TuningBackupInvalid,GoNetTools.Commands.GetTcpTuningBackupCommand", Assert.Single(listed.Errors).FullyQualifiedErrorId);
        var invalid = Run("Undo-TcpTuning -Latest -Confirm:$false");
        // The one -Latest rule: a corrupt newest file is reported (non-terminating) and skipped; with no valid one left, nothing is found.
        var errors = invalid.AllErrors.ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(("TuningBackupInvalid,GoNetTools.Commands.UndoTcpTuningCommand", ErrorCategory.InvalidData), (errors[0].FullyQualifiedErrorId, errors[0].CategoryInfo.Category));
        Assert.Equal("TuningBackupNotFound,GoNetTools.Commands.UndoTcpTuningCommand", errors[1].FullyQualifiedErrorId);
        File.Delete(_tree.PathOf("var/lib/gonettools/backups/tuning-20990101T000000000Z.json"));

        Run("Set-TcpTuning -Name SynRetries -Value 3 -Confirm:$false");
        var path = Directory.GetFiles(_tree.PathOf("var/lib/gonettools/backups")).Single();
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"NamespaceInode\": null", "\"NamespaceInode\": 4026531840"));
        var mismatch = Run("Undo-TcpTuning -Latest -Confirm:$false");
        Assert.Equal("TuningBackupScopeMismatch,GoNetTools.Commands.UndoTcpTuningCommand", One(mismatch).FullyQualifiedErrorId);
        Assert.Equal("3", Proc("tcp_syn_retries"));
        Assert.Empty(Run("Undo-TcpTuning -Latest -Force -Confirm:$false").AllErrors);
        Assert.Equal("6", Proc("tcp_syn_retries"));
    }

    [SkippableTheory]
    [InlineData("Set-TcpTuning -Name TimeW", "TimeWaitReuse,TimeWaitReuseDelay")]
    [InlineData("Get-TcpTuning -Name Local", "LocalPortRange")]
    [InlineData("Set-TcpTuning -Profile Go", "GoDev")]
    [InlineData("Test-TcpTuning -Profile D", "Default")]
    public void Names_and_profiles_complete(string line, string expected)
    {
        var matches = Run($"[System.Management.Automation.CommandCompletion]::CompleteInput('{line}', {line.Length}, $null).CompletionMatches | ForEach-Object CompletionText")
            .Output.Select(o => o.ToString());
        Assert.Equal(expected.Split(','), matches);
    }

    /// <summary>/proc/sys files compare by value (the kernel prints "32768\t60999", we write "32768 60999").</summary>
    private sealed class ProcValueComparer : IEqualityComparer<Dictionary<string, string>>
    {
        public bool Equals(Dictionary<string, string>? x, Dictionary<string, string>? y) =>
            x!.Count == y!.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && Norm(v) == Norm(kv.Value));

        public int GetHashCode(Dictionary<string, string> obj) => obj.Count;

        private static string Norm(string s) => string.Join(' ', s.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries));
    }
}
