using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.AnalysisBench;

/// <summary>
/// bench: generates a capture of N packets (default 1,000,000) of synthetic TCP connections with TLS hellos,
/// then times Measure-PacketCapture inside the PowerShell engine (a fresh process, so its peak memory is its
/// own) beside `tshark -q -z conv,tcp -r file`, and prints the ratio and both peak memories.
///   dotnet GoNetTools.AnalysisBench.dll [packets] [file]
///   dotnet GoNetTools.AnalysisBench.dll measure FILE MODULE_PSD1      (the child run)
///   dotnet GoNetTools.AnalysisBench.dll generate PACKETS FILE         (only write the capture, e.g. for profiling)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "measure")
        {
            return MeasureInEngine(args[1], args[2]);
        }
        if (args.Length >= 3 && args[0] == "generate")
        {
            var (n, f) = CaptureGenerator.Write(args[2], int.Parse(args[1]));
            Console.WriteLine($"generated {n:N0} packets, {f:N0} connections: {args[2]}");
            return 0;
        }
        var packets = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var file = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), $"gnt-analysis-bench-{packets}.pcap");
        var module = Path.Combine(FindRoot(), "out", "GoNetTools", "GoNetTools.psd1");
        var clock = Stopwatch.StartNew();
        var (written, flows) = CaptureGenerator.Write(file, packets);
        Console.WriteLine($"generated {written:N0} packets, {flows:N0} connections, {new FileInfo(file).Length / 1e6:N0} MB in {clock.Elapsed.TotalSeconds:N1}s: {file}");

        var ours = RunChild("dotnet", $"\"{typeof(Program).Assembly.Location}\" measure \"{file}\" \"{module}\"");
        var oursLines = ours.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.Write(ours.Stdout);
        var oursSeconds = double.Parse(oursLines.First(l => l.StartsWith("seconds=", StringComparison.Ordinal))[8..], System.Globalization.CultureInfo.InvariantCulture);
        var oursCpu = double.Parse(oursLines.First(l => l.StartsWith("cpu=", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture);

        var tshark = RunChild("tshark", $"-n -q -z conv,tcp -r \"{file}\"");
        var rows = tshark.Stdout.Split('\n').Count(l => l.Contains("<->", StringComparison.Ordinal));
        Console.WriteLine($"tshark -q -z conv,tcp: {tshark.Seconds:N2}s wall, {tshark.CpuSeconds:N2}s CPU, {rows:N0} conversations, peak RSS {tshark.PeakRssKb / 1024.0:N0} MB");
        Console.WriteLine($"Measure-PacketCapture (in the engine): {oursSeconds:N2}s wall ({written / oursSeconds / 1e6:N2} M packets/s), {oursCpu:N2}s CPU, process peak RSS {ours.PeakRssKb / 1024.0:N0} MB (engine included)");
        Console.WriteLine($"ratio tshark / Measure-PacketCapture: wall {tshark.Seconds / oursSeconds:N1}x, CPU {tshark.CpuSeconds / oursCpu:N1}x (target >= 10x; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        File.Delete(file);
        return 0;
    }

    private static int MeasureInEngine(string file, string module)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { module });
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        ps.AddCommand("Measure-PacketCapture").AddParameter("LiteralPath", file);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var results = ps.Invoke();
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        if (ps.HadErrors || results.Count != 1)
        {
            Console.Error.WriteLine("Measure-PacketCapture failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
            return 1;
        }
        object? P(string name) => results[0].Properties[name].Value;
        Console.WriteLine($"summary: {P("Packets"):N0} packets, {P("Connections"):N0} connections, {P("TlsHandshakes"):N0} handshakes, " +
            $"client TIME_WAIT {P("TimeWaitOnClient"):N0}, server {P("TimeWaitOnServer"):N0}, resets {P("Resets"):N0}, retransmissions {P("Retransmissions"):N0}");
        Console.WriteLine(FormattableString.Invariant($"seconds={seconds:F3}"));
        Console.WriteLine(FormattableString.Invariant($"cpu={cpu:F3}"));
        Console.WriteLine($"managed heap after run: {GC.GetTotalMemory(false) / 1e6:N0} MB");
        return 0;
    }

    private static (string Stdout, double Seconds, long PeakRssKb, double CpuSeconds) RunChild(string file, string arguments)
    {
        // /usr/bin/time is not always installed: ask the kernel for the child's peak RSS (getrusage children).
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var before = Native.ChildrenMaxRssKb();
        var cpuBefore = Native.ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        return (stdout.Result, seconds, Math.Max(before, Native.ChildrenMaxRssKb()), Native.ChildrenCpuSeconds() - cpuBefore);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GoNetTools.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("GoNetTools.sln not found; run from the repository");
    }
}
