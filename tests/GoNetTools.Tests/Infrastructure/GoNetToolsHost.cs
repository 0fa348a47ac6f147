using System.Collections.Generic;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>Runs the real `gonettools` host as a separate process, optionally inside a network namespace.</summary>
public static class GoNetToolsHost
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string script, NetNamespace? ns = null, int timeoutMs = 120_000,
        IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string> { ["GONETTOOLS_MODULE"] = Repo.ModuleManifest };
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                env[k] = v;
            }
        }
        return ns is null
            ? Shell.TryRun("dotnet", $"\"{Repo.HostDll}\" -Command {Escape(script)}", timeoutMs, env)
            : Shell.TryRun("ip", $"netns exec {ns.Name} env GONETTOOLS_MODULE={Repo.ModuleManifest} {EnvArgs(environment)} dotnet \"{Repo.HostDll}\" -Command {Escape(script)}", timeoutMs);
    }

    private static string EnvArgs(IDictionary<string, string>? environment)
    {
        if (environment is null)
        {
            return "";
        }
        var parts = new List<string>();
        foreach (var (k, v) in environment)
        {
            parts.Add($"{k}={v}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>One argument for ProcessStartInfo's command-line splitting: double quotes, inner quotes escaped.</summary>
    private static string Escape(string script) => "\"" + script.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
