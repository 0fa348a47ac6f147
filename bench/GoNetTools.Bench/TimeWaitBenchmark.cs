using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.Bench;

/// <summary>
/// Builds ~100k real TIME_WAIT sockets in the current network namespace, then times Get-TcpTimeWait inside
/// the engine beside `ss -tan state time-wait` (both reading the same sockets), and measures managed bytes
/// retained per socket by the objects the pipeline returned.
/// </summary>
internal static class TimeWaitBenchmark
{
    public static int Run(string[] args)
    {
        int count = args.Length >= 2 && args[0] == "--count" ? int.Parse(args[1]) : 100_000;
        const int Listeners = 4;
        var build = Stopwatch.StartNew();
        int made = TimeWaitFactory.Create(Enumerable.Range(0, Listeners)
            .Select(i => (new IPEndPoint(IPAddress.Loopback, 20_000 + i), count / Listeners)));
        Console.WriteLine($"built {made:N0} TIME_WAIT sockets in {build.Elapsed.TotalSeconds:0.0} s");

        using var engine = new Engine();
        engine.Invoke("Get-TcpTimeWait -RemotePort 1"); // warm up: JIT, module load, first netlink socket

        const int Rounds = 7;
        var ours = new List<double>();
        var oursCpu = new List<double>();
        int seen = 0;
        var self = Process.GetCurrentProcess();
        for (int i = 0; i < Rounds; i++)
        {
            GC.Collect();
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            // What a user runs: the rows land in a variable inside the engine.
            var counted = engine.Invoke("$tw = Get-TcpTimeWait; $tw.Count");
            ours.Add(watch.Elapsed.TotalMilliseconds);
            self.Refresh();
            oursCpu.Add((self.TotalProcessorTime - cpu).TotalMilliseconds);
            seen = (int)counted[0].BaseObject;
        }
        engine.Invoke("$tw = $null");

        // Where the time goes: the same dump and filter with no row written to the pipeline.
        var backend = new List<double>();
        for (int i = 0; i < Rounds; i++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            engine.Invoke("Get-TcpTimeWait -RemotePort 1");
            backend.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The same rows handed out through the hosting API (PowerShell.Invoke wraps each in a PSObject).
        var hosted = new List<double>();
        for (int i = 0; i < Rounds; i++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            engine.Invoke("Get-TcpTimeWait");
            hosted.Add(watch.Elapsed.TotalMilliseconds);
        }

        var ss = new List<double>();
        var ssCpu = new List<double>();
        int ssLines = 0;
        for (int i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            (ssLines, var cpu) = RunSs();
            ss.Add(watch.Elapsed.TotalMilliseconds);
            ssCpu.Add(cpu);
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var kept = engine.Invoke("Get-TcpTimeWait");
        long after = GC.GetTotalMemory(forceFullCollection: true);
        double bytesPerSocket = (after - before) / (double)Math.Max(1, kept.Count);
        GC.KeepAlive(kept);

        double oursMedian = Median(ours), ssMedian = Median(ss);
        Console.WriteLine($"sockets: Get-TcpTimeWait {seen:N0}, ss {ssLines:N0}");
        Console.WriteLine($"Get-TcpTimeWait in the engine ($tw = Get-TcpTimeWait): median {oursMedian:0.0} ms over {Rounds} runs ({string.Join(", ", ours.Select(t => t.ToString("0")))})");
        Console.WriteLine($"  of which netlink dump + parse + filter (run with a filter that keeps no row): median {Median(backend):0.0} ms");
        Console.WriteLine($"  the same rows returned to a host through PowerShell.Invoke() (PSObject-wrapped): median {Median(hosted):0.0} ms");
        Console.WriteLine($"ss -tan state time-wait:       median {ssMedian:0.0} ms over {Rounds} runs ({string.Join(", ", ss.Select(t => t.ToString("0")))})");
        Console.WriteLine($"ratio (ours / ss), wall time: {oursMedian / ssMedian:0.00}   target <= 1.0");
        Console.WriteLine($"CPU time (user+sys): Get-TcpTimeWait median {Median(oursCpu):0.0} ms, ss median {Median(ssCpu):0.0} ms, ratio {Median(oursCpu) / Median(ssCpu):0.00}");
        Console.WriteLine($"managed bytes retained per socket: {bytesPerSocket:0}   target <= 300");
        return seen == ssLines ? 0 : 1;
    }

    /// <summary>ss writing its table into a pipe we drain, as it would into a terminal or file; its CPU time too.</summary>
    private static (int Lines, double CpuMs) RunSs()
    {
        double before = ChildrenCpuMs();
        var start = new ProcessStartInfo("ss", "-tanH state time-wait") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        int lines = 0;
        while (process.StandardOutput.ReadLine() is not null)
        {
            lines++;
        }
        process.WaitForExit();
        return (lines, ChildrenCpuMs() - before);
    }

    /// <summary>getrusage(RUSAGE_CHILDREN): user + system time of reaped children (struct timeval pairs first).</summary>
    private static unsafe double ChildrenCpuMs()
    {
        long* usage = stackalloc long[18];
        if (getrusage(-1, usage) != 0)
        {
            return double.NaN;
        }
        return (usage[0] + usage[2]) * 1000.0 + (usage[1] + usage[3]) / 1000.0;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern unsafe int getrusage(int who, long* usage);

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }
}
