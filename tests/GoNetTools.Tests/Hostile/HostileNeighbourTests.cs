using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Foundation.Files;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Hostile;

/// <summary>Runs alone: it compares /run/gonettools before and after, which other tests' labs would change.</summary>
[Trait("Category", Category.Root)]
[CollectionDefinition("Hostile neighbours", DisableParallelization = true)]
public sealed class HostileNeighbourCollection
{
}

/// <summary>
/// An unprivileged user (nobody, through setpriv) fills a world-writable sticky TMPDIR with directories and
/// symbolic links at every name the module used to write (gonettools-lab-PID/ca.pem for the next 300 PIDs,
/// capture names of the next minutes, an XDG_RUNTIME_DIR pointing at root's files). Then root starts labs (one on a
/// busy port, which fails), captures into that folder and runs go through Measure-GoModDownload. Nothing the
/// neighbour made is changed or followed, root's file is untouched, and /run/gonettools is left as it was.
/// </summary>
[Trait("Category", Category.Root)]
[Collection("Hostile neighbours")]
public sealed class HostileNeighbourTests : IDisposable
{
    private readonly string _shared = Directory.CreateTempSubdirectory("gnt-hostile-").FullName;
    private readonly string _victim = Directory.CreateTempSubdirectory("gnt-victim-").FullName;
    private readonly ITestOutputHelper _output;

    public HostileNeighbourTests(ITestOutputHelper output)
    {
        _output = output;
        File.SetUnixFileMode(_shared, (UnixFileMode)0x3FF); // 1777, like /tmp
        File.SetUnixFileMode(_victim, (UnixFileMode)0x1ED); // 0755: root's, readable, not writable by nobody
        File.WriteAllText(Secret, "root's own file\n");
    }

    private string Secret => Path.Combine(_victim, "secret.txt");

    public void Dispose()
    {
        Directory.Delete(_shared, recursive: true);
        Directory.Delete(_victim, recursive: true);
    }

    [SkippableFact]
    public void Root_labs_captures_and_go_runs_never_touch_what_a_neighbour_planted()
    {
        PlantAsNobody();
        var planted = Snapshot(_shared);
        Assert.True(planted.Count > 600, $"only {planted.Count} entries planted"); // positive control: the traps exist
        var secretBefore = (File.ReadAllText(Secret), File.GetLastWriteTimeUtc(Secret));
        var runBefore = Entries("/run/gonettools");

        var script = string.Join("\n",
            "$ErrorActionPreference = 'Continue'",
            "'HOSTPID=' + $PID",
            "$l = Start-GoProxyLab",
            "$ca = $l.GoEnvironment['SSL_CERT_FILE']",
            "'CA=' + $ca",
            "'CAMODE=' + [int][System.IO.File]::GetUnixFileMode($ca) + ' DIRMODE=' + [int][System.IO.File]::GetUnixFileMode([System.IO.Path]::GetDirectoryName($ca))",
            "try { Start-GoProxyLab -Port ([uri]$l.Url).Port -ErrorAction Stop } catch { 'BUSY=' + $_.FullyQualifiedErrorId }",
            "'RUNNING=' + ([System.IO.Directory]::GetFileSystemEntries('/run/gonettools') -join ',')",
            $"try {{ Start-PacketCapture -Adapter lo -Path '{_shared}/victim.pcap' -ErrorAction Stop }} catch {{ 'CAPTURE=' + $_.FullyQualifiedErrorId }}",
            $"$null = $ExecutionContext.SessionState.Path.SetLocation('{_shared}')",
            "try { Start-PacketCapture -Adapter lo -Duration 1 -ErrorAction Stop } catch { 'DEFAULTNAME=' + $_.FullyQualifiedErrorId }",
            "$m = $l | Measure-GoModDownload",
            "'GOMOD=' + $m.Succeeded + ' requests=' + $m.Requests",
            "Stop-GoProxyLab $l");
        var (_, stdout, stderr) = GoNetToolsHost.Run(script, timeoutMs: 300_000, environment: new Dictionary<string, string>
        {
            ["TMPDIR"] = _shared,
            ["XDG_RUNTIME_DIR"] = Path.Combine(_shared, "xdg"),
        });
        _output.WriteLine(stdout);
        _output.WriteLine(stderr);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        string Field(string name) => lines.Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

        // The lab's CA lives in a private directory of root's under /run, not in TMPDIR or XDG_RUNTIME_DIR.
        Assert.StartsWith("/run/gonettools/lab-", Field("CA"), StringComparison.Ordinal);
        Assert.Equal("CAMODE=384 DIRMODE=448", "CAMODE=" + Field("CAMODE")); // 0600 file, 0700 directory
        // A failed start (port in use) reports itself and leaves nothing behind (checked below with the listing).
        Assert.Equal("GoProxyLabPortInUse,GoNetTools.Commands.StartGoProxyLabCommand", Field("BUSY"));
        Assert.Single(Field("RUNNING").Split(',', StringSplitOptions.RemoveEmptyEntries).Except(runBefore));
        // A capture into the shared folder refuses the neighbour's link instead of writing through it.
        Assert.Equal("CaptureFileExists,GoNetTools.Commands.StartPacketCaptureCommand", Field("CAPTURE"));
        Assert.Equal("CaptureFileExists,GoNetTools.Commands.StartPacketCaptureCommand", Field("DEFAULTNAME"));
        // go ran for real against the lab, with its workspace, caches and capture in a private directory.
        Assert.StartsWith("True requests=", Field("GOMOD"), StringComparison.Ordinal);

        // Nothing the neighbour made changed, nothing new appeared in the shared folder (the host's own .NET
        // diagnostics socket, which the runtime makes in TMPDIR before any module code runs, aside).
        var hostPid = Field("HOSTPID");
        var after = Snapshot(_shared).Where(e => !e.Key.StartsWith($"dotnet-diagnostic-{hostPid}-", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(planted.OrderBy(e => e.Key), after.OrderBy(e => e.Key));
        Assert.Equal(secretBefore, (File.ReadAllText(Secret), File.GetLastWriteTimeUtc(Secret)));
        Assert.Equal(new[] { "secret.txt" }, Directory.GetFileSystemEntries(_victim).Select(Path.GetFileName));
        // Every private directory of the run (two labs, one of them failed, and the go measurement) is gone.
        // (Only what is new counts: another suite's lab on the same machine may stop meanwhile and take its own.)
        Assert.Empty(Entries("/run/gonettools").Except(runBefore));
    }

    /// <summary>As nobody: directories and links at the names the module used, and at the names it uses now.</summary>
    private void PlantAsNobody()
    {
        var minute = DateTime.Now;
        var captureNames = Enumerable.Range(0, 240).Select(s => $"capture_lo_{minute.AddSeconds(s):yyyyMMdd_HHmmss}.pcap");
        var plant = string.Join("; ",
            "set -e",
            $"cd {_shared}",
            "last=$(cat /proc/sys/kernel/ns_last_pid)",
            $"for i in $(seq 1 300); do d=gonettools-lab-$((last+i)); mkdir $d; ln -s {Secret} $d/ca.pem; done",
            $"ln -s {Secret} victim.pcap",
            $"for n in {string.Join(' ', captureNames)}; do ln -s {Secret} $n; done",
            $"ln -s {_victim} gonettools",
            $"mkdir -m 700 xdg; ln -s {_victim} xdg/gonettools",
            $"mkdir -m 777 gonettools-gomod; ln -s {Secret} gonettools-gomod/capture.pcap");
        var (code, _, err) = Shell.TryRun("setpriv", $"--reuid=65534 --regid=65534 --clear-groups bash -c \"{plant}\"");
        Assert.True(code == 0, err);
    }

    /// <summary>Every entry under <paramref name="root"/>: kind, owner, mode, link target, size and mtime.</summary>
    private static Dictionary<string, string> Snapshot(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var facts = PosixFiles.Stat(path, followLinks: false);
            var info = new FileInfo(path);
            result[Path.GetRelativePath(root, path)] = $"{facts.Kind} uid={facts.Owner} mode={Convert.ToString(facts.Mode, 8)} -> {info.LinkTarget} {info.LastWriteTimeUtc:O}";
        }
        return result;
    }

    private static string[] Entries(string directory) =>
        Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory).OrderBy(e => e, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
}
