using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Fuzz;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// Every input afl-fuzz ever crashed a harness with (tests/fixtures/fuzz/&lt;target&gt;/, copied there by
/// tests/GoNetTools.Fuzz/fuzz.sh) and every seed replays through the same target without an exception.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new()
    {
        ["tls"] = b => FuzzTargets.Tls(b),
        ["http2"] = b => FuzzTargets.Http2(b),
        ["capture"] = b => FuzzTargets.Capture(b),
        ["proc"] = b => FuzzTargets.Proc(b),
        ["netstat"] = b => FuzzTargets.Netstat(b),
        ["backup"] = b => FuzzTargets.Backup(b),
    };

    public static IEnumerable<object[]> Inputs()
    {
        foreach (var target in Targets.Keys)
        {
            foreach (var folder in new[] { Repo.Fixture("fuzz", target), Path.Combine(Repo.Root, "tests", "GoNetTools.Fuzz", "seeds", target) })
            {
                if (Directory.Exists(folder))
                {
                    foreach (var file in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
                    {
                        yield return new object[] { target, Path.GetRelativePath(Repo.Root, file) };
                    }
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Inputs))]
    public void Replays_without_an_exception(string target, string file) =>
        Targets[target](File.ReadAllBytes(Path.Combine(Repo.Root, file)));

    [SkippableFact]
    public void Every_harness_has_seeds_and_the_crash_afl_found_in_the_reassembler_is_kept()
    {
        Assert.All(Targets.Keys, t => Assert.NotEmpty(Directory.GetFiles(Path.Combine(Repo.Root, "tests", "GoNetTools.Fuzz", "seeds", t))));
        Assert.NotEmpty(Directory.GetFiles(Repo.Fixture("fuzz", "capture")));
    }
}
