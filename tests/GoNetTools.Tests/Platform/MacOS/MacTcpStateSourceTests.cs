using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Platform.MacOS;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Platform.MacOS;

// GoNetTools.Tests.TcpState (a test folder's namespace) would hide the enum of the same name.
using TcpState = GoNetTools.TcpState;

/// <summary>
/// The macOS back-end end to end except for netstat itself: a stand-in shell script prints the fixtures for the
/// arguments the back-end passes, so process handling, argument choice and parsing are exercised together.
/// </summary>
public sealed class MacTcpStateSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gonettools-netstat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A fake netstat that logs its arguments and prints <paramref name="table"/> for -a and the counters for -s.</summary>
    private string FakeNetstat(string table, int exitCode = 0)
    {
        var path = Path.Combine(_dir, "netstat");
        File.WriteAllText(path,
            "#!/bin/sh\n"
            + $"echo \"$*\" >> '{_dir}/calls'\n"
            + $"case \"$1\" in -s) cat '{MacNetstatTableParserTests.FixturePath("netstat-s-tcp.txt")}' ;; *) cat '{MacNetstatTableParserTests.FixturePath(table)}' ;; esac\n"
            + (exitCode != 0 ? $"echo 'netstat: sysctl: Operation not permitted' >&2\nexit {exitCode}\n" : ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private string[] Calls() => File.ReadAllLines(Path.Combine(_dir, "calls"));

    [SkippableFact]
    public void GetConnections_runs_netstat_anvW_and_streams_the_rows()
    {
        var source = new MacTcpStateSource(FakeNetstat("netstat-anv-macos14.txt"));
        var warnings = new List<string>();

        var rows = source.GetConnections(new TcpStateQuery { States = new[] { TcpState.TimeWait } }, warnings.Add).ToList();

        Assert.Equal(new[] { "-anvW -p tcp" }, Calls());
        Assert.Equal(new[] { 52101, 52102, 443 }, rows.Select(r => r.LocalPort));
        Assert.Empty(warnings);
    }

    [SkippableFact]
    public void ReadCounters_adds_the_populations_counted_from_the_table()
    {
        var source = new MacTcpStateSource(FakeNetstat("netstat-anv-macos14.txt"));
        var warnings = new List<string>();

        var raw = source.ReadCounters(warnings.Add);
        var stat = source.ToStatistic(raw, DateTime.Now, null, null);

        Assert.Equal(new[] { "-s -p tcp", "-anW -p tcp" }, Calls());
        Assert.Empty(warnings);
        Assert.Equal(3, stat.TimeWaitCount);
        Assert.Equal(3, stat.CurrEstab); // two ESTABLISHED and one CLOSE_WAIT row
        Assert.Equal(7361, stat.ActiveOpens);
        Assert.Equal("host", stat.Scope);
    }

    [SkippableFact]
    public void A_failing_netstat_becomes_an_error_with_its_message()
    {
        var source = new MacTcpStateSource(FakeNetstat("netstat-anv-macos11.txt", exitCode: 1));
        var e = Assert.Throws<GoNetToolsException>(() => source.GetConnections(new TcpStateQuery(), _ => { }).ToList());
        Assert.Equal(ErrorIds.TcpTableUnavailable, e.ErrorId);
        Assert.Equal(FailureKind.OperationFailed, e.Kind);
        Assert.Contains("exit code 1", e.Message);
        Assert.Contains("Operation not permitted", e.Message);

        var counters = Assert.Throws<GoNetToolsException>(() => source.ReadCounters(_ => { }));
        Assert.Equal(ErrorIds.TcpCountersUnavailable, counters.ErrorId);
    }

    [SkippableFact]
    public void A_missing_netstat_is_reported_as_unavailable()
    {
        var source = new MacTcpStateSource(Path.Combine(_dir, "no-such-netstat"));
        var e = Assert.Throws<GoNetToolsException>(() => source.GetConnections(new TcpStateQuery(), _ => { }).ToList());
        Assert.Equal(FailureKind.ResourceUnavailable, e.Kind);
        Assert.Contains("no-such-netstat", e.Message);
    }

    [SkippableFact]
    public void Stopping_early_kills_the_child_instead_of_waiting_for_it()
    {
        var path = Path.Combine(_dir, "slow-netstat");
        // The pid is written before the output: the first row read proves it is there (the runner's group kill can end
        // the script before a line after `cat` runs).
        File.WriteAllText(path, "#!/bin/sh\n"
            + $"echo $$ > '{_dir}/pid'\n"
            + $"cat '{MacNetstatTableParserTests.FixturePath("netstat-anv-macos11.txt")}'\n"
            + "exec sleep 60\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var source = new MacTcpStateSource(path);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var first = source.GetConnections(new TcpStateQuery(), _ => { }).First();

        Assert.Equal(52100, first.LocalPort);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        int pid = int.Parse(File.ReadAllText(Path.Combine(_dir, "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 50 && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); i++)
        {
            System.Threading.Thread.Sleep(100);
        }
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), "the stand-in netstat is still running");
    }
}
