using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Foundation.Processes;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Workstation;

/// <summary>The one process runner: output, exit codes, environment, and a kill that leaves nothing of the group alive.</summary>
public sealed class ChildProcessTests
{
    private static ProcessSpec Shell(string script, Dictionary<string, string?>? environment = null, bool clear = false) =>
        new("/bin/sh", new[] { "-c", script }) { Environment = environment ?? new(), ClearEnvironment = clear };

    [SkippableFact]
    public void Run_returns_exit_code_and_both_streams_Linux()
    {
        var result = ChildProcess.Run(Shell("echo out; echo err >&2; exit 3"), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.TimedOut);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [SkippableFact]
    public void Lines_are_heard_as_they_come_per_stream_Linux()
    {
        var outLines = new List<string>();
        var errLines = new List<string>();
        // The second stderr line is written only after the first was heard (the script waits for a file the callback makes).
        var flag = Path.Combine(Path.GetTempPath(), "gnt-lines-" + Guid.NewGuid().ToString("N"));
        var script = $"printf 'a\\r\\nb\\n' ; echo one >&2; while [ ! -e {flag} ]; do sleep 0.05; done; printf 'tw\\303\\266\\nlast' >&2";
        var spec = new ProcessSpec("/bin/sh", new[] { "-c", script })
        {
            StandardOutputLine = l => { lock (outLines) { outLines.Add(l); } },
            StandardErrorLine = l =>
            {
                lock (errLines) { errLines.Add(l); }
                if (l == "one")
                {
                    File.WriteAllText(flag, "");
                }
            },
        };
        try
        {
            var result = ChildProcess.Run(spec, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.False(result.TimedOut);
            Assert.Equal(new[] { "a", "b" }, outLines);
            Assert.Equal(new[] { "one", "twö", "last" }, errLines); // UTF-8 decoded, an unended last line still heard
            Assert.Equal("a\r\nb\n", result.StandardOutput); // the kept text is untouched
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [SkippableFact]
    public void Environment_is_replaced_or_overlaid_and_working_directory_set_Linux()
    {
        var cleared = ChildProcess.Run(Shell("echo ${FOO-unset} ${HOME-unset}", new() { ["FOO"] = "bar" }, clear: true), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("bar unset\n", cleared.StandardOutput);
        var overlaid = ChildProcess.Run(Shell("echo ${PATH:+haspath} ${HOME-unset}", new() { ["HOME"] = null }), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("haspath unset\n", overlaid.StandardOutput);
        var dir = Directory.CreateTempSubdirectory("gnt-cwd-").FullName;
        try
        {
            var pwd = ChildProcess.Run(new ProcessSpec("pwd", Array.Empty<string>()) { WorkingDirectory = dir }, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal(dir + "\n", pwd.StandardOutput);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [SkippableFact]
    public void Child_gets_default_signal_dispositions_not_dotnets_ignored_SIGPIPE_Linux()
    {
        // Positive control: this .NET process ignores SIGPIPE (bit 13 of SigIgn).
        var ours = Convert.ToUInt64(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim(), 16);
        Assert.NotEqual(0UL, ours & (1UL << 12));
        var child = ChildProcess.Run(Shell("grep SigIgn /proc/self/status"), TimeSpan.FromSeconds(30), CancellationToken.None);
        var ignored = Convert.ToUInt64(child.StandardOutput.Trim()[7..].Trim(), 16);
        Assert.Equal(0UL, ignored & (1UL << 12));
    }

    [SkippableFact]
    public void Cancel_kills_the_whole_process_group_Linux()
    {
        using var cancel = new CancellationTokenSource();
        using var child = ChildProcess.Start(Shell("sleep 300 & sleep 300 & sh -c 'sleep 300' & wait"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Group(child.Id).Count < 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        Assert.True(Group(child.Id).Count >= 5, "positive control: the shell, its sleeps and a nested shell run in the child's group");
        Assert.DoesNotContain(Environment.ProcessId, Group(child.Id));
        cancel.CancelAfter(200);
        var clock = Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => child.WaitForExit(TimeSpan.FromMinutes(1), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(child.HasExited);
        Assert.True(child.Killed);
        Assert.Equal(128 + 9, child.ExitCode);
        Assert.Empty(Group(child.Id));
    }

    [SkippableFact]
    public void A_straggler_left_by_a_child_that_exits_is_swept_Linux()
    {
        using var child = ChildProcess.Start(Shell("sleep 300 & echo $!"));
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(0, child.ExitCode);
        var straggler = int.Parse(child.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(straggler > 0);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Directory.Exists($"/proc/{straggler}") && ProcessGroupOf(straggler) == child.Id && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        Assert.NotEqual(child.Id, ProcessGroupOf(straggler));
    }

    [SkippableFact]
    public void Timeout_kills_and_says_so_Linux()
    {
        var result = ChildProcess.Run(Shell("sleep 300"), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.Equal(128 + 9, result.ExitCode);
    }

    [SkippableFact]
    public void A_missing_program_throws_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ChildProcess.Start(new ProcessSpec("no-such-program-gnt", Array.Empty<string>())));
    }

    /// <summary>Pids whose process group is <paramref name="pgid"/> (field 5 of /proc/PID/stat); zombies count as gone.</summary>
    internal static List<int> Group(int pgid)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ProcessGroupOf(pid) == pgid)
            {
                result.Add(pid);
            }
        }
        return result;
    }

    internal static int ProcessGroupOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? -1 : int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
