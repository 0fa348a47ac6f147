using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Lab;

/// <summary>The lab server's own contract: the stdin/stdout control channel and exit on end of input.</summary>
public sealed class LabProcessTests
{
    private static Process StartLab(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repo.ModuleDirectory, "lab", "GoNetTools.Lab.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return Process.Start(start)!;
    }

    [SkippableFact]
    public void Control_channel_answers_stats_and_reset_and_the_lab_exits_when_stdin_closes()
    {
        using var lab = StartLab("--synthetic-modules", "2");
        using var ready = JsonDocument.Parse(lab.StandardOutput.ReadLine()!);
        Assert.Equal("ready", ready.RootElement.GetProperty("type").GetString());
        Assert.Equal(lab.Id, ready.RootElement.GetProperty("pid").GetInt32());
        Assert.Equal(4, ready.RootElement.GetProperty("modules").GetArrayLength());
        var ca = ready.RootElement.GetProperty("caPath").GetString()!;
        Assert.True(File.Exists(ca));

        lab.StandardInput.WriteLine("stats");
        using (var stats = JsonDocument.Parse(lab.StandardOutput.ReadLine()!))
        {
            Assert.Equal("stats", stats.RootElement.GetProperty("type").GetString());
            Assert.Equal(0, stats.RootElement.GetProperty("requests").GetInt64());
        }
        lab.StandardInput.WriteLine("reset");
        Assert.Contains("\"ok\"", lab.StandardOutput.ReadLine(), StringComparison.Ordinal);
        lab.StandardInput.WriteLine("bogus");
        Assert.Contains("UnknownCommand", lab.StandardOutput.ReadLine(), StringComparison.Ordinal);

        lab.StandardInput.Close();
        Assert.True(lab.WaitForExit(10_000), "the lab kept running after its stdin closed");
        Assert.Equal(0, lab.ExitCode);
        Assert.False(File.Exists(ca)); // its temporary CA directory is removed
    }

    [SkippableFact]
    public void Bad_arguments_are_reported_as_one_error_line_and_exit_code()
    {
        using var lab = StartLab("--reset-stream-percent", "250");
        using var line = JsonDocument.Parse(lab.StandardOutput.ReadLine()!);
        Assert.Equal("error", line.RootElement.GetProperty("type").GetString());
        Assert.Equal("InvalidArgument", line.RootElement.GetProperty("code").GetString());
        Assert.True(lab.WaitForExit(10_000));
        Assert.Equal(2, lab.ExitCode);
    }
}
