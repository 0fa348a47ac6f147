using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace GoNetTools.Host;

/// <summary>
/// `gonettools`: PowerShell 7 itself (Microsoft.PowerShell.SDK and its console host) with GoNetTools imported,
/// for machines without pwsh. Every pwsh parameter works; -Command and -File runs also fail on any error.
/// </summary>
public static class Program
{
    private const string Banner = "GoNetTools on PowerShell {0} (gonettools). 'Get-Command -Module GoNetTools' lists the commands.";

    private const string Help = """
        gonettools is pwsh (PowerShell 7, from Microsoft.PowerShell.SDK) with the GoNetTools module imported and
        on PSModulePath, so jobs, ForEach-Object -Parallel and SSH remoting find it too.

          gonettools -c 'Get-TcpTimeWait | Group-Object RemotePort'
          gonettools -File checks.ps1 -Port 443
          gonettools                              interactive prompt with tab completion

        One difference from pwsh: a -Command or -File run exits with 1 when any command in it reported an error
        (also one silenced with -ErrorAction SilentlyContinue or caught; -ErrorAction Ignore discards it), not
        only when the last statement failed; `exit N` still sets the code. GONETTOOLS_MODULE=path/to/
        GoNetTools.psd1 chooses the module. pwsh's own parameters follow.

        """;

    public static int Main(string[] args)
    {
        var module = ModuleLocation.Find();
        if (module is null)
        {
            Console.Error.WriteLine("gonettools: cannot find out/GoNetTools/GoNetTools.psd1. Build first: dotnet build GoNetTools.sln (or set GONETTOOLS_MODULE).");
            return 2;
        }
        ModuleLocation.AddToModulePath(module);

        // Plain text when output goes to a pipe or a file, as the earlier host did: `gonettools -c … | grep` sees no
        // escape sequences. (pwsh writes them unless NO_COLOR is set.)
        if (Console.IsOutputRedirected)
        {
            PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
        }

        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { module });
        var banner = string.Format(System.Globalization.CultureInfo.InvariantCulture, Banner, PSVersionInfoText());
        return Microsoft.PowerShell.ConsoleShell.Start(state, banner, Help, ErrorExitContract.Rewrite(args));
    }

    /// <summary>"7.6.9" from System.Management.Automation's informational version ("7.6.9 SHA: …").</summary>
    private static string PSVersionInfoText()
    {
        var informational = typeof(PSObject).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            is [System.Reflection.AssemblyInformationalVersionAttribute attribute, ..] ? attribute.InformationalVersion : "7";
        return informational.Split(' ', '+')[0];
    }
}

/// <summary>Where the GoNetTools module is: $GONETTOOLS_MODULE, else out/GoNetTools above this program.</summary>
internal static class ModuleLocation
{
    internal const string ModuleVariable = "GONETTOOLS_MODULE";

    public static string? Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(ModuleVariable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "out", "GoNetTools", "GoNetTools.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
            candidate = Path.Combine(dir.FullName, "GoNetTools", "GoNetTools.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Puts the folder holding GoNetTools/ first on PSModulePath (process environment), so the processes pwsh
    /// starts itself (Start-Job, the SSH subsystem, ForEach-Object -Parallel runspaces) import it by name.
    /// </summary>
    public static void AddToModulePath(string manifest)
    {
        var moduleFolder = Path.GetDirectoryName(manifest);
        if (moduleFolder is null || !string.Equals(Path.GetFileName(moduleFolder), "GoNetTools", StringComparison.Ordinal))
        {
            return;
        }
        var parent = Path.GetDirectoryName(moduleFolder)!;
        var current = Environment.GetEnvironmentVariable("PSModulePath") ?? "";
        foreach (var entry in current.Split(Path.PathSeparator))
        {
            if (string.Equals(entry.TrimEnd(Path.DirectorySeparatorChar), parent, StringComparison.Ordinal))
            {
                return;
            }
        }
        Environment.SetEnvironmentVariable("PSModulePath", current.Length == 0 ? parent : parent + Path.PathSeparator + current);
    }
}
