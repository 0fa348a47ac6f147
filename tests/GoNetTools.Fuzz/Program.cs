using System;
using System.IO;
using SharpFuzz;

namespace GoNetTools.Fuzz;

/// <summary>
/// `dotnet GoNetTools.Fuzz.dll tls|http2|capture|proc|netstat|backup` under afl-fuzz (out-of-process SharpFuzz protocol), or
/// `dotnet GoNetTools.Fuzz.dll tls|http2|capture --libfuzzer` under libFuzzer-dotnet,
/// or `dotnet GoNetTools.Fuzz.dll tls|http2|capture FILE…` to replay inputs (crash reproduction).
/// </summary>
public static class Program
{
    /// <summary>Every harness, in the order the fuzz script runs them.</summary>
    public static readonly string[] Targets = { "tls", "http2", "capture", "proc", "netstat", "backup" };

    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: GoNetTools.Fuzz " + string.Join("|", Targets) + " [--libfuzzer | FILE…]");
            return 2;
        }
        ReadOnlySpanAction target = args[0] switch
        {
            "tls" => FuzzTargets.Tls,
            "http2" => FuzzTargets.Http2,
            "capture" => FuzzTargets.Capture,
            "proc" => FuzzTargets.Proc,
            "netstat" => FuzzTargets.Netstat,
            "backup" => FuzzTargets.Backup,
            _ => throw new ArgumentException("target must be one of: " + string.Join(", ", Targets), nameof(args)),
        };
        if (args.Length > 1 && args[1] == "--libfuzzer")
        {
            Fuzzer.LibFuzzer.Run(target);
            return 0;
        }
        if (args.Length > 1)
        {
            for (var i = 1; i < args.Length; i++)
            {
                target(File.ReadAllBytes(args[i]));
                Console.WriteLine($"{args[i]}: ok");
            }
            return 0;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }
}
