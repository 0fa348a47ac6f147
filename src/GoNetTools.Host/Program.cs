using System;
using System.IO;
using System.Linq;

namespace GoNetTools.Host;

/// <summary>`gonettools`: GoNetTools in the PowerShell 7 engine, for machines without pwsh.</summary>
public static class Program
{
    private const string Usage = """
        gonettools - GoNetTools in an in-process PowerShell 7 engine (System.Management.Automation)

        Usage:
          gonettools '<pipeline>'            run one pipeline, e.g. gonettools 'Get-TcpTimeWait'
          gonettools -Command '<pipeline>'   the same
          gonettools -File script.ps1 [args] run a script
          gonettools                         interactive prompt (type exit to leave)
          gonettools -Help                   this text

        Output goes through Out-Default, so GoNetTools' table and list views apply. The exit code is 1
        when the pipeline wrote an error, 0 otherwise.

        This engine holds PowerShell's core cmdlets (ForEach-Object, Where-Object, Get-Help, Get-Command,
        Import-Module...) but not the utility toolkit: Group-Object, Select-Object, Sort-Object,
        Format-Table, Export-Csv and friends need pwsh 7.4+, where the module is used with plain
        Import-Module ./out/GoNetTools. Here, group with ForEach-Object and a hashtable, or .NET.

        Environment: GONETTOOLS_MODULE=path/to/GoNetTools.psd1 overrides where the module is found.
        """;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "-Help" or "-help" or "--help" or "-h" or "-?" or "/?")
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var module = EngineSession.FindModule();
        if (module is null || !File.Exists(module))
        {
            Console.Error.WriteLine("gonettools: cannot find out/GoNetTools/GoNetTools.psd1. Build first: dotnet build GoNetTools.sln (or set GONETTOOLS_MODULE).");
            return 2;
        }

        var host = new ConsoleHost();
        using var session = new EngineSession(module, host);
        if (session.ModuleImportErrors is not null)
        {
            Console.Error.WriteLine("gonettools: " + session.ModuleImportErrors);
            return 2;
        }
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // stop the pipeline, keep the process
            session.Stop();
        };

        bool ok;
        if (args.Length == 0)
        {
            ok = Interactive(session);
        }
        else if (args[0] is "-File" or "-f" or "-file")
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("gonettools: -File needs a script path.");
                return 2;
            }
            ok = session.Run(Path.GetFullPath(args[1]), args.Skip(2).ToArray(), isFile: true);
        }
        else
        {
            var script = args[0] is "-Command" or "-c" or "-command" ? string.Join(' ', args.Skip(1)) : string.Join(' ', args);
            ok = session.Run(script);
        }
        return host.ExitCode ?? (ok ? 0 : 1);
    }

    private static bool Interactive(EngineSession session)
    {
        Console.WriteLine("GoNetTools in PowerShell 7 (gonettools). Type 'exit' to leave, 'Get-Command -Module GoNetTools' to start.");
        bool ok = true;
        while (true)
        {
            Console.Write("PS GoNetTools> ");
            var line = Console.ReadLine();
            if (line is null || line.Trim() is "exit" or "quit")
            {
                return ok;
            }
            if (line.Trim().Length > 0)
            {
                ok = session.Run(line);
            }
        }
    }
}
