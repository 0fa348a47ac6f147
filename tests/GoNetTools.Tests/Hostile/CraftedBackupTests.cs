using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using GoNetTools.Tuning;
using Xunit;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tests.Hostile;

/// <summary>
/// Backups read as untrusted input (TuningBackupReader): a valid backup passes (the positive control), and every
/// crafted one — each case of the report, and an out-of-range value for every tunable of every OS — is refused
/// with TuningBackupInvalid naming the field.
/// </summary>
public sealed class CraftedBackupTests
{
    private static readonly TunableCatalog Catalog = TunableCatalog.Instance;

    private static (string? PersistPath, HashSet<string> Keys) Store(string os) => os switch
    {
        "linux" => ("/etc/sysctl.d/90-gonettools.conf", Catalog.For("linux").Select(d => d.Key).ToHashSet()),
        "macos" => ("/etc/sysctl.conf", Catalog.For("macos").SelectMany(d => d.Key.Split(' ')).ToHashSet()),
        _ => (null, new HashSet<string>()),
    };

    /// <summary>A backup as Set-TcpTuning writes one: every writable tunable at its default (or a valid value).</summary>
    internal static JsonObject Valid(string os)
    {
        var values = new JsonObject();
        var keys = new JsonObject();
        foreach (var d in Catalog.For(os).Where(d => !d.ReadOnly))
        {
            values[d.Name] = d.UnsetAllowed ? null : d.Default ?? (d.Type == TunableType.Integer ? d.Min.ToString(CultureInfo.InvariantCulture) : "");
            keys[d.Name] = d.Key;
        }
        if (os == "linux")
        {
            values["MaxTimeWaitBuckets"] = "262144";
        }
        var (persistPath, _) = Store(os);
        var backup = new JsonObject
        {
            ["Version"] = 2, ["Time"] = "2026-11-23T12:00:00Z", ["Host"] = "build", ["Os"] = os, ["Scope"] = "net:[4026531840]",
            ["NamespaceInode"] = 4026531840UL, ["NamespaceName"] = null, ["NamespaceCookie"] = 1UL, ["Operation"] = "Set-TcpTuning -Profile GoDev",
            ["Values"] = values, ["Keys"] = keys, ["PersistPath"] = persistPath, ["PersistedExisted"] = persistPath is not null,
            ["PersistedSettings"] = new JsonArray(), ["PersistedFinalNewline"] = true, ["PersistedSha256"] = null,
        };
        if (os == "linux")
        {
            backup["PersistedSettings"] = new JsonArray(
                new JsonObject { ["Key"] = "net.ipv4.tcp_tw_reuse", ["Value"] = "2" },
                new JsonObject { ["Key"] = "net.ipv4.ip_local_port_range", ["Value"] = "32768\t60999" });
        }
        return backup;
    }

    private static TuningSnapshot Read(JsonObject backup, string os = "linux")
    {
        var (persistPath, keys) = Store(os);
        return TuningBackupReader.Read("/backups/crafted.json", backup.ToJsonString(), Catalog, persistPath, keys);
    }

    private static string Refused(JsonObject backup, string os = "linux")
    {
        var e = Assert.Throws<GoNetToolsException>(() => Read(backup, os));
        Assert.Equal(ErrorIds.TuningBackupInvalid, e.ErrorId);
        Assert.Equal(FailureKind.InvalidData, e.Kind);
        return e.Message;
    }

    [SkippableTheory]
    [InlineData("linux")]
    [InlineData("windows")]
    [InlineData("macos")]
    public void A_backup_as_Set_writes_it_passes(string os)
    {
        var snapshot = Read(Valid(os), os);
        Assert.Equal(Catalog.For(os).Count(d => !d.ReadOnly), snapshot.Values.Count);
    }

    public static IEnumerable<object[]> EveryTunable() =>
        Catalog.Tunables.Where(d => !d.ReadOnly).Select(d => new object[] { d.Os, d.Name });

    [SkippableTheory]
    [MemberData(nameof(EveryTunable))]
    public void An_out_of_range_value_is_refused_naming_the_tunable(string os, string name)
    {
        var d = Catalog.Find(os, name)!;
        var bad = d.Type switch
        {
            TunableType.Integer => d.Max == long.MaxValue ? "-1" : (d.Max + 1).ToString(CultureInfo.InvariantCulture),
            TunableType.PortRange => $"{d.Min - 1} {d.Min + 1000}",
            _ => "70000",
        };
        var backup = Valid(os);
        backup["Values"]![name] = bad;
        Assert.Contains($"Values.{name}:", Refused(backup, os));
        // The same tunable below its minimum, where it has one above zero.
        if (d.Type == TunableType.Integer && d.Min > 0)
        {
            backup["Values"]![name] = (d.Min - 1).ToString(CultureInfo.InvariantCulture);
            Assert.Contains($"Values.{name}:", Refused(backup, os));
        }
    }

    [SkippableTheory]
    [InlineData("FinWait2Timeout", "999999")]
    [InlineData("MaxTimeWaitBuckets", "10")]
    [InlineData("TimeWaitReuse", "abc")]
    [InlineData("LocalPortRange", "32768 60998")]
    [InlineData("SynRetries", "1\nkernel.core_pattern = |/tmp/x")]
    [InlineData("Timestamps", "\u001b[2J1")]
    public void Values_Set_TcpTuning_refuses_are_refused(string name, string value)
    {
        var backup = Valid("linux");
        backup["Values"]![name] = value;
        var message = Refused(backup);
        Assert.Contains($"Values.{name}:", message);
        Assert.DoesNotContain('\u001b', message); // nothing from the file reaches the terminal raw
    }

    [SkippableFact]
    public void Each_crafted_shape_is_refused_naming_its_field()
    {
        var cases = new (string Field, Action<JsonObject> Craft)[]
        {
            ("Values", b => b["Values"] = null),
            ("Values", b => b["Values"] = new JsonArray()),
            ("Values.Foo", b => b["Values"]!["Foo"] = "1"),
            ("Values.SynRetries", b => b["Values"]!["SynRetries"] = 3),
            ("Version", b => b["Version"] = 99),
            ("Os", b => b["Os"] = "plan9"),
            ("Host", b => b["Host"] = "evil\u001b]0;owned\u0007"),
            ("Time", b => b["Time"] = "yesterday"),
            ("NamespaceInode", b => b["NamespaceInode"] = "4026531840"),
            ("NamespaceName", b => b["NamespaceName"] = "../../etc"),
            ("Keys.SynRetries", b => b["Keys"]!["SynRetries"] = "kernel.core_pattern"),
            ("PersistPath", b => b["PersistPath"] = "/etc/sysctl.d/10-evil.conf"),
            ("PersistedSettings[2].Key", b => b["PersistedSettings"]!.AsArray().Add(new JsonObject { ["Key"] = "kernel.core_pattern", ["Value"] = "|/path/prog" })),
            ("PersistedSettings[2].Value", b => b["PersistedSettings"]!.AsArray().Add(new JsonObject { ["Key"] = "net.ipv4.tcp_fin_timeout", ["Value"] = "30\nkernel.core_pattern = |/path/prog" })),
            ("PersistedSettings[2].Value", b => b["PersistedSettings"]!.AsArray().Add(new JsonObject { ["Key"] = "net.ipv4.tcp_fin_timeout", ["Value"] = "99999" })),
            ("PersistedSettings[0]", b => b["PersistedExisted"] = false),
            ("PersistedSettings", b => b["PersistedSettings"] = "net.ipv4.tcp_tw_reuse = 1"),
            ("PersistedSha256", b => b["PersistedSha256"] = "not-a-hash"),
            ("(file)", b => b.Clear()),
        };
        foreach (var (field, craft) in cases)
        {
            var backup = Valid("linux");
            craft(backup);
            var message = Refused(backup);
            Assert.True(message.Contains($": {field}:", StringComparison.Ordinal) || (field == "(file)" && message.Contains(": Version:", StringComparison.Ordinal)),
                $"{field}: {message}");
        }
        var notJson = Assert.Throws<GoNetToolsException>(() => TuningBackupReader.Read("/b.json", "{ not json", Catalog, null, new HashSet<string>()));
        Assert.Contains("(file): it is not JSON", notJson.Message);
    }

    [SkippableFact]
    public void A_version_1_backup_restores_live_values_only_never_its_text()
    {
        var backup = Valid("linux");
        backup["Version"] = 1;
        backup["PersistedPrevious"] = "kernel.core_pattern = |/path/prog\n";
        var snapshot = Read(backup);
        Assert.Null(snapshot.PersistPath);
        Assert.Empty(snapshot.PersistedSettings);
    }
}
