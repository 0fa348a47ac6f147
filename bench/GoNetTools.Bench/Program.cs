using System;
using System.Linq;

namespace GoNetTools.Bench;

/// <summary>Entry point: `dotnet GoNetTools.Bench.dll &lt;benchmark&gt; [options]`; see bench/README.md.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var name = args.FirstOrDefault() ?? "";
        var rest = args.Skip(1).ToArray();
        switch (name)
        {
            case "timewait":
                return TimeWaitBenchmark.Run(rest);
            default:
                Console.Error.WriteLine("usage: GoNetTools.Bench timewait [--count N]   (run inside a network namespace; see bench/timewait.sh)");
                return 2;
        }
    }
}
