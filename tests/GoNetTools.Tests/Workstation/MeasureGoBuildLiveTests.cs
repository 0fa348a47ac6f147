using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Workstation;

/// <summary>
/// Measure-GoBuild live with Debian's go: the builds run in throwaway caches, the "user's" GOCACHE and GOMODCACHE
/// (made by the test, with real content) are byte for byte and mtime for mtime unchanged, and the figures are
/// there and plausible. How close the medians are to hyperfine's is bench/gobuild.sh's job, not a test's.
/// </summary>
[Collection("GoBuild")]
[Trait("Category", "Go")]
public sealed class MeasureGoBuildLiveTests : IDisposable
{
    /// <summary>Needs the go tool on PATH (skipped with the hint without it).</summary>
    public MeasureGoBuildLiveTests() => Requires.Tool("go", "apt-get install golang-go");

    private readonly string _user = Directory.CreateTempSubdirectory("gnt-user-").FullName;

    public void Dispose() => Directory.Delete(_user, recursive: true);

    private Dictionary<string, string> UserEnvironment() => new()
    {
        ["HOME"] = _user,
        ["XDG_CACHE_HOME"] = Path.Combine(_user, ".cache"),
        ["GOCACHE"] = Path.Combine(_user, ".cache", "go-build"),
        ["GOPATH"] = Path.Combine(_user, "go"),
        ["GOMODCACHE"] = Path.Combine(_user, "go", "pkg", "mod"),
        ["PATH"] = Environment.GetEnvironmentVariable("PATH")!,
    };

    [SkippableFact]
    public void Builds_in_throwaway_caches_and_leaves_the_users_caches_untouched_Linux()
    {
        var env = UserEnvironment();
        // The "user's" caches with real content: a build through them, and a module cache entry.
        Directory.CreateDirectory(env["GOMODCACHE"]);
        File.WriteAllText(Path.Combine(env["GOMODCACHE"], "cache-marker.txt"), "downloaded over hours\n");
        var hello = Path.Combine(_user, "src", "hello");
        Directory.CreateDirectory(hello);
        File.WriteAllText(Path.Combine(hello, "go.mod"), "module example.com/hello\n\ngo 1.16\n");
        File.WriteAllText(Path.Combine(hello, "main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n");
        Assert.Equal(0, GoBuild(hello, env));
        var before = Caches(env);
        Assert.Contains(before.Keys, k => k.StartsWith("GOCACHE/", StringComparison.Ordinal)); // positive control: go wrote there
        Assert.Contains("GOMODCACHE/cache-marker.txt", before.Keys);

        var (code, stdout, stderr) = GoNetToolsHost.Run(
            "Measure-GoBuild -Workload HelloWorld -Package errors -Count 2 | ForEach-Object { " +
            "'{0}|{1}|{2}|{3}|{4}|{5}|{6}|{7}|{8}|{9}|{10}' -f $_.Workload, $_.Command, $_.GoVersion, $_.Runs, $_.Min.TotalSeconds, $_.Median.TotalSeconds, " +
            "$_.Max.TotalSeconds, $_.Samples.Count, $_.Verdict, $_.CpuPressurePercent, $_.CacheState }",
            timeoutMs: 300_000, environment: env);
        Assert.True(code == 0, stdout + stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains('|')).Select(l => l.Split('|')).ToList();
        Assert.Equal(2, rows.Count);
        var goVersion = Shell.Run("go", "version").Trim()["go version ".Length..];
        foreach (var row in rows)
        {
            Assert.Equal(goVersion, row[2]);
            Assert.Equal("2", row[3]);
            var (min, median, max) = (Seconds(row[4]), Seconds(row[5]), Seconds(row[6]));
            Assert.InRange(min, 0.01, 120);
            Assert.True(min <= median && median <= max, string.Join("|", row));
            Assert.True(int.Parse(row[7], CultureInfo.InvariantCulture) >= 3, "samples: idle, each run, the end");
            Assert.NotEmpty(row[10]);
        }
        Assert.Equal(("HelloWorld", "go build"), (rows[0][0], rows[0][1]));
        Assert.Contains(rows[0][8], new[] { "Good", "Fair", "Slow" });
        Assert.Equal(("errors", "go build -a errors", "NotJudged"), (rows[1][0], rows[1][1], rows[1][8]));
        // -a errors compiles the runtime: it must take longer than the hello package and its link.
        Assert.True(Seconds(rows[1][5]) > Seconds(rows[0][5]), $"{rows[1][5]} vs {rows[0][5]}");

        Assert.Equal(before, Caches(env));
        // Positive control: the snapshot does see a build that uses the user's cache.
        File.WriteAllText(Path.Combine(hello, "main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(2) }\n");
        Assert.Equal(0, GoBuild(hello, env));
        Assert.NotEqual(before, Caches(env));
    }

    /// <summary>GOCACHE and GOMODCACHE together (pwsh itself may keep files under HOME; those are not go's caches).</summary>
    private static SortedDictionary<string, string> Caches(Dictionary<string, string> env)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in new[] { "GOCACHE", "GOMODCACHE" })
        {
            foreach (var (path, facts) in Snapshot(env[role]))
            {
                result[role + "/" + path] = facts;
            }
        }
        return result;
    }

    [SkippableFact]
    public void A_bad_package_is_refused_before_go_runs()
    {
        using var ps = new ModuleRunspace();
        var result = ps.Invoke("Measure-GoBuild -Package '-toolexec=/bin/true'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InvalidGoPackage,GoNetTools.Commands.MeasureGoBuildCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [SkippableFact]
    public void A_package_go_cannot_build_is_a_GoBuildFailed_error_per_run_and_still_a_measurement_Linux()
    {
        using var ps = new ModuleRunspace();
        var result = ps.Invoke("Measure-GoBuild -Package example.com/does/not/exist -Count 2");
        var measurement = Assert.Single(result.Objects<GoBuildMeasurement>());
        Assert.Equal((0, 2, GoBuildVerdict.NotJudged), (measurement.Runs, measurement.FailedRuns, measurement.Verdict));
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("GoBuildFailed,GoNetTools.Commands.MeasureGoBuildCommand", e.FullyQualifiedErrorId));
        Assert.Contains("example.com/does/not/exist", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
    }

    private static int GoBuild(string folder, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("go", "build -o /dev/null .") { WorkingDirectory = folder, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }
        using var go = Process.Start(start)!;
        go.StandardError.ReadToEnd();
        go.WaitForExit();
        return go.ExitCode;
    }

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Every file and folder below <paramref name="root"/>: size, mtime and content hash (folders: mtime).</summary>
    internal static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            result[Path.GetRelativePath(root, dir) + "/"] = Directory.GetLastWriteTimeUtc(dir).Ticks.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            result[Path.GetRelativePath(root, file)] = $"{info.Length} {info.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}";
        }
        return result;
    }
}
