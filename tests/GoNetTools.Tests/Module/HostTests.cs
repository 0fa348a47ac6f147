using System;
using System.IO;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>The gonettools host as a user runs it: one pipeline, a script file, help, exit codes.</summary>
public sealed class HostTests
{
    private static (int ExitCode, string Stdout, string Stderr) Host(string arguments, string? stdin = null)
    {
        var env = new System.Collections.Generic.Dictionary<string, string> { ["GONETTOOLS_MODULE"] = Repo.ModuleManifest };
        if (stdin is null)
        {
            return Shell.TryRun("dotnet", $"\"{Repo.HostDll}\" {arguments}", 120_000, env);
        }
        var script = Path.GetTempFileName();
        File.WriteAllText(script, stdin);
        try
        {
            return Shell.TryRun("sh", $"-c \"dotnet '{Repo.HostDll}' {arguments} < '{script}'\"", 120_000, env);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void Help_says_where_the_full_toolkit_lives()
    {
        var (code, stdout, _) = Host("-Help");
        Assert.Equal(0, code);
        Assert.Contains("Group-Object", stdout);
        Assert.Contains("pwsh 7.4", stdout);
    }

    [Fact]
    public void A_pipeline_runs_through_out_default_and_a_clean_run_exits_zero()
    {
        var (code, stdout, stderr) = Host("\"Get-TcpStatistic\"");
        Assert.True(code == 0, stderr);
        Assert.Contains("ActiveOpens", stdout);
        Assert.Contains("RetransmitRate", stdout);
    }

    [Fact]
    public void An_error_makes_the_exit_code_one_and_goes_to_stderr()
    {
        var (code, _, stderr) = Host("\"Get-TcpConnection -RemoteAddress 999.1.1.1\"");
        Assert.Equal(1, code);
        Assert.Contains("999.1.1.1", stderr);
        var unknown = Host("Group-Object");
        Assert.Equal(1, unknown.ExitCode);
    }

    [Fact]
    public void A_script_file_runs_with_its_arguments()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gnt-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, "param($Port) \"port=$Port\"; (Get-Command -Module GoNetTools).Count -gt 0");
        try
        {
            var (code, stdout, stderr) = Host($"-File \"{file}\" 8443");
            Assert.True(code == 0, stderr);
            Assert.Contains("port=8443", stdout);
            Assert.Contains("True", stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_interactive_prompt_reads_lines_until_exit()
    {
        var (code, stdout, stderr) = Host("", "'first'\n1 + 41\nexit\n'never'\n");
        Assert.True(code == 0, stderr);
        Assert.Contains("first", stdout);
        Assert.Contains("42", stdout);
        Assert.DoesNotContain("never", stdout);
    }

    [Fact]
    public void A_missing_module_is_reported_with_the_build_command()
    {
        var env = new System.Collections.Generic.Dictionary<string, string> { ["GONETTOOLS_MODULE"] = "/nonexistent/GoNetTools.psd1" };
        var (code, _, stderr) = Shell.TryRun("dotnet", $"\"{Repo.HostDll}\" Get-TcpStatistic", 60_000, env);
        Assert.Equal(2, code);
        Assert.Contains("dotnet build", stderr);
    }

    [Fact]
    public void Confirm_prompts_without_input_fail_instead_of_hanging()
    {
        // A prompt needs a line from stdin; with stdin closed the host refuses rather than assuming an answer.
        var (code, _, stderr) = Host("'$Host.UI.ReadLine()'", "");
        Assert.Equal(1, code);
        Assert.Contains("cannot prompt", stderr);
    }
}
