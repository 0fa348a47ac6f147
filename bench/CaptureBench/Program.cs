using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;

// Capture benchmark: the same paced UDP stream on loopback captured once by Start-PacketCapture and once by
// tcpdump (default buffer, and with the same 32 MiB buffer GoNetTools asks for). Prints sent / captured / dropped
// for each and the ratio captured(GoNetTools) / captured(tcpdump). Needs root, tcpdump and tshark, and a built
// out/GoNetTools. Usage: dotnet run -c Release --project bench/CaptureBench [-- <packets/s> <seconds> <payload bytes>]
if (args.Length == 5 && args[0] == "--send")
{
    // Child mode: the sender runs in its own process, so every capture tool competes with it the same way.
    var (n, pps) = Send(int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]));
    Console.WriteLine($"{n} {pps:0}");
    return 0;
}
var rate = args.Length > 0 ? int.Parse(args[0]) : 50_000;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 4;
var size = args.Length > 2 ? int.Parse(args[2]) : 200;
var total = rate * seconds;
var root = FindRoot();
var manifest = Path.Combine(root, "out", "GoNetTools", "GoNetTools.psd1");
var work = Directory.CreateTempSubdirectory("gnt-bench-").FullName;
Console.WriteLine($"capture bench: {total:N0} UDP datagrams of {size} bytes at {rate:N0}/s on lo ({seconds} s)");

using var sink = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
sink.Client.ReceiveBufferSize = 1 << 20;
var port = ((IPEndPoint)sink.Client.LocalEndPoint!).Port;
var filter = $"udp port {port}";

using (var warm = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
{
    SendInChild(((IPEndPoint)warm.Client.LocalEndPoint!).Port, rate, rate / 10, size); // warm the page cache and the binary
}
var ours = RunGoNetTools(manifest, filter, Path.Combine(work, "gonettools.pcap"), null, () => SendInChild(port, rate, total, size));
var oursSmall = RunGoNetTools(manifest, filter, Path.Combine(work, "gonettools-2.pcap"), 2, () => SendInChild(port, rate, total, size));
var tcpdumpDefault = RunTcpdump(filter, Path.Combine(work, "tcpdump.pcap"), null, () => SendInChild(port, rate, total, size));
var tcpdumpBig = RunTcpdump(filter, Path.Combine(work, "tcpdump-B.pcap"), 32768, () => SendInChild(port, rate, total, size));

Console.WriteLine();
Console.WriteLine($"{"tool",-36} {"sent",10} {"captured",10} {"in file",10} {"dropped",8} {"ifdrop",7} {"send pps",10}");
foreach (var r in new[] { ours, oursSmall, tcpdumpDefault, tcpdumpBig })
{
    Console.WriteLine($"{r.Tool,-36} {r.Sent,10:N0} {r.Captured,10:N0} {r.InFile,10:N0} {r.Dropped,8:N0} {r.IfDropped,7:N0} {r.Pps,10:N0}");
}
Console.WriteLine();
Console.WriteLine($"ratio captured GoNetTools / tcpdump (default -B): {(double)ours.InFile / Math.Max(1, tcpdumpDefault.InFile):0.0000}");
Console.WriteLine($"ratio captured GoNetTools / tcpdump (-B 32768):   {(double)ours.InFile / Math.Max(1, tcpdumpBig.InFile):0.0000}");
Console.WriteLine($"ratio captured GoNetTools -BufferSizeMB 2 / tcpdump (default -B, 2 MiB): {(double)oursSmall.InFile / Math.Max(1, tcpdumpDefault.InFile):0.0000}");
Directory.Delete(work, true);
return ours.Dropped == 0 && ours.InFile == ours.Sent ? 0 : 1;

static Result RunGoNetTools(string manifest, string filter, string file, int? bufferMiB, Func<(long, double)> send)
{
    var state = InitialSessionState.CreateDefault2();
    state.ImportPSModule(new[] { manifest });
    using var rs = RunspaceFactory.CreateRunspace(state);
    rs.Open();
    int id;
    using (var ps = PowerShell.Create(rs))
    {
        ps.AddCommand("Start-PacketCapture").AddParameter("Adapter", "lo").AddParameter("Filter", filter).AddParameter("Path", file);
        if (bufferMiB is { } mib) ps.AddParameter("BufferSizeMB", mib);
        id = Convert.ToInt32(ps.Invoke().Single().Properties["Id"].Value);
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    }
    Thread.Sleep(300);
    var (sent, pps) = send();
    Thread.Sleep(1000);
    using var stop = PowerShell.Create(rs);
    var session = stop.AddCommand("Stop-PacketCapture").AddParameter("Id", id).Invoke().Single();
    long Get(string name) => Convert.ToInt64(session.Properties[name].Value);
    return new Result(bufferMiB is null ? "Start-PacketCapture" : $"Start-PacketCapture -BufferSizeMB {bufferMiB}", sent, Get("Packets"), Tshark(file), Get("Dropped"), Get("InterfaceDropped"), pps);
}

static Result RunTcpdump(string filter, string file, int? bufferKiB, Func<(long, double)> send)
{
    var bufferArg = bufferKiB is null ? "" : $"-B {bufferKiB} ";
    var psi = new ProcessStartInfo("tcpdump", $"-i lo -n -s 65535 {bufferArg}-w {file} {filter}") { RedirectStandardError = true, UseShellExecute = false };
    using var tcpdump = Process.Start(psi)!;
    var stderr = new System.Text.StringBuilder();
    using var ready = new ManualResetEventSlim();
    tcpdump.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (stderr) stderr.AppendLine(e.Data); if (e.Data.Contains("listening on")) ready.Set(); };
    tcpdump.BeginErrorReadLine();
    ready.Wait(10_000);
    Thread.Sleep(300);
    var (sent, pps) = send();
    Thread.Sleep(1000);
    Process.Start("kill", $"-INT {tcpdump.Id}")!.WaitForExit();
    tcpdump.WaitForExit();
    string text;
    lock (stderr) text = stderr.ToString();
    long Count(string what) { var m = Regex.Match(text, @"(\d+) packets? " + what); return m.Success ? long.Parse(m.Groups[1].Value) : -1; }
    return new Result(bufferKiB is null ? "tcpdump (default -B)" : $"tcpdump -B {bufferKiB}", sent, Count("captured"), Tshark(file), Count("dropped by kernel"), 0, pps);
}

static (long Sent, double Pps) SendInChild(int port, int rate, int total, int size)
{
    var self = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)
        ? ("dotnet", $"\"{typeof(Result).Assembly.Location}\" ")
        : (Environment.ProcessPath!, "");
    var psi = new ProcessStartInfo(self.Item1, $"{self.Item2}--send {port} {rate} {total} {size}") { RedirectStandardOutput = true, UseShellExecute = false };
    using var child = Process.Start(psi)!;
    var line = child.StandardOutput.ReadToEnd().Trim().Split(' ');
    child.WaitForExit();
    return (long.Parse(line[0]), double.Parse(line[1]));
}

// Paced in 1 ms slots: each slot sends its share, then spins until the next slot starts.
static (long Sent, double Pps) Send(int port, int rate, int total, int size)
{
    using var tx = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    tx.Connect(new IPEndPoint(IPAddress.Loopback, port));
    var payload = new byte[size];
    var perSlot = Math.Max(1, rate / 1000);
    var clock = Stopwatch.StartNew();
    long sent = 0;
    for (var slot = 0; sent < total; slot++)
    {
        for (var i = 0; i < perSlot && sent < total; i++)
        {
            tx.Send(payload);
            sent++;
        }
        var next = TimeSpan.FromMilliseconds(slot + 1);
        while (clock.Elapsed < next) Thread.SpinWait(20);
    }
    return (sent, sent / clock.Elapsed.TotalSeconds);
}

static long Tshark(string file)
{
    var psi = new ProcessStartInfo("tshark", $"-n -r {file} -T fields -e frame.number") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    using var p = Process.Start(psi)!;
    long lines = 0;
    while (p.StandardOutput.ReadLine() is not null) lines++;
    p.WaitForExit();
    return lines;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "GoNetTools.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("GoNetTools.sln not found");
}

internal sealed record Result(string Tool, long Sent, long Captured, long InFile, long Dropped, long IfDropped, double Pps);
