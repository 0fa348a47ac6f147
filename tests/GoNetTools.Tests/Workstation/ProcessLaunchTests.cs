using System;
using System.Globalization;
using System.Threading;
using GoNetTools.Platform;
using GoNetTools.Platform.MacOS;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Workstation;

/// <summary>
/// The OS-tool launchers (ProcessCommandRunner for netsh/sysctl, ChildProcessOutput for netstat) run on the one
/// process runner, ChildProcess: a streamed stdout, stderr in the error, and an early Dispose that ends the whole group.
/// </summary>
public sealed class ProcessLaunchTests
{
    [Fact]
    public void Command_runner_returns_both_streams_and_the_exit_code_Linux()
    {
        var (code, output) = new ProcessCommandRunner().Run("/bin/sh", "-c true");
        Assert.Equal(0, code);
        var (echoCode, echo) = new ProcessCommandRunner().Run("/bin/echo", "a  b");
        Assert.Equal(0, echoCode);
        Assert.Equal("a b\n", echo); // split on spaces, as netsh and sysctl arguments are
        var (missingCode, missing) = new ProcessCommandRunner().Run("/no/such/tool-gnt", "x");
        Assert.Equal(-1, missingCode);
        Assert.Contains("could not be started", missing, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Streamed_output_is_read_while_printed_and_a_failure_carries_stderr_Linux()
    {
        using (var ok = ChildProcessOutput.Start("/bin/sh", new[] { "-c", "seq 1 200000" }, ErrorIds.TcpTableUnavailable))
        {
            int lines = 0;
            while (ok.Output.ReadLine() is not null)
            {
                lines++;
            }
            ok.Finish(); // positive control: exit 0 does not throw
            Assert.Equal(200000, lines);
        }
        using var failing = ChildProcessOutput.Start("/bin/sh", new[] { "-c", "echo row; echo boom >&2; exit 4" }, ErrorIds.TcpCountersUnavailable);
        Assert.Equal("row", failing.Output.ReadLine());
        Assert.Null(failing.Output.ReadLine());
        var e = Assert.Throws<GoNetToolsException>(failing.Finish);
        Assert.Equal(ErrorIds.TcpCountersUnavailable, e.ErrorId);
        Assert.Equal(FailureKind.OperationFailed, e.Kind);
        Assert.Contains("exit code 4: boom", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_before_the_end_kills_the_tool_and_its_group_Linux()
    {
        var run = ChildProcessOutput.Start("/bin/sh", new[] { "-c", "echo $$; sleep 300 & sleep 300 & wait" }, ErrorIds.TcpTableUnavailable);
        int group = int.Parse(run.Output.ReadLine()!, CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ChildProcessTests.Group(group).Count < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        Assert.True(ChildProcessTests.Group(group).Count >= 3, "positive control: the shell and its two sleeps run");
        run.Dispose();
        Assert.Empty(ChildProcessTests.Group(group));
    }

    [Fact]
    public void A_missing_tool_is_ResourceUnavailable_under_the_callers_id()
    {
        var e = Assert.Throws<GoNetToolsException>(() => ChildProcessOutput.Start("no-such-tool-gnt", Array.Empty<string>(), ErrorIds.TcpTableUnavailable));
        Assert.Equal(ErrorIds.TcpTableUnavailable, e.ErrorId);
        Assert.Equal(FailureKind.ResourceUnavailable, e.Kind);
    }
}
