using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// A real tcpdump (pcap) or dumpcap (pcapng) on the loopback interface (or another <c>device</c>, inside a test's network
/// namespace when one is given), writing packets as they come (-U) to a temp file. The constructor returns once tcpdump says
/// it is listening; Stop sends SIGINT and waits for the file to close.
/// </summary>
public sealed class LoopbackCapture : IDisposable
{
    private readonly Process _tcpdump;
    private bool _stopped;

    public LoopbackCapture(string filter, string extension = "pcap", bool nano = false, NetNamespace? ns = null, string device = "lo")
    {
        Requires.Root();
        Requires.Tool(extension == "pcap" ? "tcpdump" : "dumpcap");
        FilePath = Path.Combine(Path.GetTempPath(), $"gnt-analysis-{Guid.NewGuid():N}.{extension}");
        // tcpdump writes classic pcap (nanosecond stamps with nano: true); dumpcap writes pcapng.
        var (file, arguments) = extension == "pcapng"
            ? ("dumpcap", $"-i {device} -w {FilePath} -f \"{filter}\"")
            : ("tcpdump", $"-i {device} -B 32768 -U --immediate-mode -s 0 {(nano ? "--time-stamp-precision nano " : "")}-w {FilePath} {filter}");
        // -B 32 MiB: with -s 0 the default 2 MiB ring holds only a few 256 KiB slots and drops packets in bursts (seen with
        // -i any in a namespace: 22 of 371 dropped). ip netns exec execs the capture tool: the pid SIGINT goes to is tcpdump's.
        var start = ns is null ? new ProcessStartInfo(file, arguments) : new ProcessStartInfo("ip", $"netns exec {ns.Name} {file} {arguments}");
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        _tcpdump = Process.Start(start) ?? throw new InvalidOperationException("cannot start tcpdump");
        var ready = new ManualResetEventSlim();
        _tcpdump.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } dropped && dropped.EndsWith(" packets dropped by kernel", StringComparison.Ordinal))
            {
                Dropped = int.Parse(dropped.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            if (e.Data is { } line && (line.Contains("listening on", StringComparison.Ordinal) || line.Contains("Capturing on", StringComparison.Ordinal)))
            {
                ready.Set();
            }
        };
        _tcpdump.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(15)))
        {
            _tcpdump.Kill();
            throw new InvalidOperationException($"tcpdump did not start listening on {device} within 15 s");
        }
        Thread.Sleep(500); // "listening" is printed just before the socket filter is attached
    }

    public string FilePath { get; }

    /// <summary>"N packets dropped by kernel" as tcpdump reports it on exit (after <see cref="Stop"/>); null before or with dumpcap.</summary>
    public int? Dropped { get; private set; }

    /// <summary>Stops tcpdump cleanly (SIGINT flushes and closes the file) and waits for it.</summary>
    public string Stop()
    {
        if (!_stopped)
        {
            _stopped = true;
            Thread.Sleep(700); // let the last packets of the scenario reach the socket buffer
            kill(_tcpdump.Id, 2);
            if (!_tcpdump.WaitForExit(10_000))
            {
                _tcpdump.Kill();
            }
            _tcpdump.WaitForExit(); // and its stderr read to the end
        }
        return FilePath;
    }

    public void Dispose()
    {
        Stop();
        _tcpdump.Dispose();
        if (Environment.GetEnvironmentVariable("GNT_KEEP_CAPTURES") == "1")
        {
            return; // kept for debugging: the path is in FilePath
        }
        try
        {
            File.Delete(FilePath);
        }
        catch (IOException)
        {
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}

/// <summary>tshark as the oracle.</summary>
public static class Tshark
{
    /// <summary>Rows of `tshark -q -z conv,tcp`.</summary>
    public static int TcpConversations(string file)
    {
        var output = Shell.Run(Requires.TsharkPath, $"-n -q -z conv,tcp -r {file}");
        var rows = 0;
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("<->", StringComparison.Ordinal))
            {
                rows++;
            }
        }
        return rows;
    }

    /// <summary>Field rows of `tshark -r f -Y filter -T fields -e …`, one string[] per packet.</summary>
    public static string[][] Fields(string file, string filter, string extraOptions, params string[] fields)
    {
        var output = Shell.Run(Requires.TsharkPath, $"-n -r {file} {extraOptions} -Y \"{filter}\" -T fields -E occurrence=a -E aggregator=, " + string.Join(' ', Array.ConvertAll(fields, f => "-e " + f)));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Array.ConvertAll(lines, l => l.Split('\t'));
    }

    /// <summary>How many packets match a display filter.</summary>
    public static int Count(string file, string filter, string extraOptions = "") =>
        Shell.Run(Requires.TsharkPath, $"-n -r {file} {extraOptions} -Y \"{filter}\"").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
