using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>
/// The gonettools host as a user runs it: it is pwsh 7.6.9 (Microsoft.PowerShell.SDK's console host) with the
/// module imported, and keeps one contract of its own: a -Command or -File run that wrote any error exits 1.
/// </summary>
public sealed class HostTests
{
    private static (int ExitCode, string Stdout, string Stderr) Host(string arguments, string? stdin = null)
    {
        var env = new Dictionary<string, string> { ["GONETTOOLS_MODULE"] = Repo.ModuleManifest };
        if (stdin is null)
        {
            return Shell.TryRun(Repo.Host, arguments, 120_000, env);
        }
        var start = new ProcessStartInfo(Repo.Host, arguments)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["GONETTOOLS_MODULE"] = Repo.ModuleManifest;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("gonettools " + arguments);
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [SkippableFact]
    public void It_is_pwsh_7_6_with_the_whole_toolkit_and_the_module_imported()
    {
        var (code, stdout, stderr) = Host("-c \"$PSVersionTable.PSVersion.ToString(); (Get-Module GoNetTools).Name; " +
            "Get-TcpStatistic | Select-Object ActiveOpens | ConvertTo-Json -Compress; " +
            "(1,1,2 | Group-Object | Sort-Object Name | ForEach-Object Count) -join '+'; Test-Path (Join-Path $PSHOME pwsh)\"");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("7.6.9", lines[0]);
        Assert.Equal("GoNetTools", lines[1]);
        Assert.Matches(@"^\{""ActiveOpens"":\d+\}$", lines[2]);
        Assert.Equal("2+1", lines[3]);
        Assert.Equal("True", lines[4]);
    }

    [SkippableFact]
    public void Help_is_pwsh_help_with_what_gonettools_adds()
    {
        var (code, stdout, _) = Host("-Help");
        Assert.Equal(0, code);
        Assert.Contains("gonettools is pwsh", stdout);
        Assert.Contains("exits with 1 when any command in it reported an error", stdout);
        Assert.Contains("-File | -f", stdout); // pwsh's own parameter help follows
    }

    [SkippableFact]
    public void A_pipeline_runs_through_the_module_views_and_a_clean_run_exits_zero()
    {
        var (code, stdout, stderr) = Host("-c Get-TcpStatistic");
        Assert.True(code == 0, stderr);
        Assert.Contains("ActiveOpens", stdout);
        Assert.Contains("RetransmitRate", stdout);
        Assert.False(stdout.Contains('\u001b', StringComparison.Ordinal), "escape sequences in redirected output"); // plain text
    }

    [SkippableFact]
    public void Any_error_makes_the_exit_code_one_even_when_later_statements_succeed()
    {
        // pwsh itself would exit 0 here: its rule looks at the last statement only.
        var (code, stdout, stderr) = Host("-c \"Get-TcpConnection -RemoteAddress 999.1.1.1; 'next'\"");
        Assert.Equal(1, code);
        Assert.Contains("next", stdout);
        Assert.Contains("999.1.1.1", stderr);
        Assert.Equal(1, Host("-c Get-NoSuchCommand").ExitCode);
        // Positive controls: a clean run exits 0, an explicit exit code wins, an error before the run does not count.
        Assert.Equal(0, Host("-c \"'fine'\"").ExitCode);
        Assert.Equal(0, Host("-c \"Get-Item /nonexistent-gnt -ErrorAction Ignore; 'fine'\"").ExitCode);
        Assert.Equal(1, Host("-c \"try { Get-Item /nonexistent-gnt -ErrorAction Stop } catch { 'caught' }\"").ExitCode);
        Assert.Equal(0, Host("-c \"sh -c 'echo native >&2'; 'fine'\"").ExitCode); // native stderr is not an error record
        Assert.Equal(1, Host("-c \"ls /nonexistent-gnt\"").ExitCode); // pwsh's own rule: the last statement failed
        Assert.Equal(7, Host("-c \"exit 7\"").ExitCode);
        var usingFirst = Host("-c \"using namespace System.Text\n[StringBuilder]::new('sb').ToString()\"");
        Assert.True(usingFirst.ExitCode == 0, usingFirst.Stderr);
        Assert.Contains("sb", usingFirst.Stdout);
        var withUsing = Host("-c \"using namespace System.Text\n[StringBuilder]::new('sb').ToString(); Get-Item /nonexistent-gnt\"");
        Assert.Equal(1, withUsing.ExitCode);
        Assert.Contains("Line |\n   2 |", withUsing.Stderr.Replace("\r", "")); // the user's line numbers, not shifted
    }

    [SkippableFact]
    public void A_script_file_runs_with_named_and_positional_arguments_and_its_exit_code()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gnt-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, "param($Port, [switch] $Tls, $Rest) \"port=$Port tls=$Tls rest=$Rest\"; (Get-Command -Module GoNetTools).Count -gt 0\n" +
                                "if ($Port -eq 'fail') { Write-Error 'asked to fail' }; if ($Port -eq 3) { exit 3 }");
        try
        {
            var (code, stdout, stderr) = Host($"-File \"{file}\" -Port 8443 -Tls \"two words\"");
            Assert.True(code == 0, stderr);
            Assert.Contains("port=8443 tls=True rest=two words", stdout);
            Assert.Contains("True", stdout);
            Assert.Contains("tls=False", Host($"-File \"{file}\" -Port:1 -Tls:$false").Stdout);
            Assert.Equal(3, Host($"-File \"{file}\" 3").ExitCode);
            Assert.Equal(1, Host($"-File \"{file}\" fail").ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void A_bare_argument_is_a_script_path_as_in_pwsh()
    {
        var (code, _, stderr) = Host("Get-TcpStatistic");
        Assert.Equal(64, code); // pwsh's "bad command line" code
        Assert.Contains("not recognized as the name of a script file", stderr);
    }

    [SkippableFact]
    public void The_interactive_prompt_reads_lines_until_exit()
    {
        var (code, stdout, stderr) = Host("", "'first'\n1 + 41\nexit\n'never'\n");
        Assert.True(code == 0, stderr);
        Assert.Contains("GoNetTools on PowerShell 7.6.9", stdout);
        Assert.Contains("first", stdout);
        Assert.Contains("42", stdout);
        Assert.DoesNotContain("never", stdout);
    }

    [SkippableFact]
    public void Tab_completion_knows_the_module_commands_and_parameters()
    {
        var (code, stdout, stderr) = Host("-c \"(TabExpansion2 'Get-TcpTime' 11).CompletionMatches.CompletionText; " +
            "(TabExpansion2 'Set-TcpTuning -Prof' 19).CompletionMatches.CompletionText; " +
            "(TabExpansion2 'Set-TcpTuning -Profile ' 23).CompletionMatches.CompletionText\"");
        Assert.True(code == 0, stderr);
        Assert.Contains("Get-TcpTimeWait", stdout);
        Assert.Contains("-Profile", stdout);
        Assert.Contains("GoDev", stdout);
    }

    [SkippableFact]
    public void Piped_input_reaches_the_command()
    {
        var (code, stdout, stderr) = Host("-c \"$input | ForEach-Object { 'got ' + $_ }\"", "a\nb\n");
        Assert.True(code == 0, stderr);
        Assert.Contains("got a", stdout);
        Assert.Contains("got b", stdout);
    }

    [SkippableFact]
    public void A_missing_module_is_reported_with_the_build_command()
    {
        var env = new Dictionary<string, string> { ["GONETTOOLS_MODULE"] = "/nonexistent/GoNetTools.psd1" };
        var (code, _, stderr) = Shell.TryRun(Repo.Host, "-c Get-TcpStatistic", 60_000, env);
        Assert.Equal(2, code);
        Assert.Contains("dotnet build", stderr);
    }

    [SkippableFact]
    public void Confirm_prompts_without_input_fail_instead_of_assuming_an_answer()
    {
        var target = Path.Combine(Path.GetTempPath(), $"gnt-confirm-{Guid.NewGuid():N}");
        var (code, _, _) = Host($"-c \"New-Item -ItemType File '{target}' -Confirm\"", "");
        Assert.Equal(1, code);
        Assert.False(File.Exists(target));
        var (nonInteractive, _, stderr) = Host($"-NonInteractive -c \"New-Item -ItemType File '{target}' -Confirm\"", "");
        Assert.Equal(1, nonInteractive);
        Assert.Contains("NonInteractive mode", stderr);
        Assert.False(File.Exists(target));
        // Positive control: the same command without -Confirm creates the file.
        Assert.Equal(0, Host($"-c \"$null = New-Item -ItemType File '{target}'\"").ExitCode);
        Assert.True(File.Exists(target));
        File.Delete(target);
    }
}
