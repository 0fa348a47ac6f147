using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.Tests.Capture;

/// <summary>Loopback traffic with known counts, and tshark as the independent judge of capture files.</summary>
internal static class CaptureTraffic
{
    /// <summary>A TCP listener on 127.0.0.1 with a free port.</summary>
    public static TcpListener Listener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>n complete connections (handshake, then close from both ends).</summary>
    public static void Connect(TcpListener listener, int n)
    {
        for (var i = 0; i < n; i++)
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port(listener));
            using var accepted = listener.AcceptTcpClient();
            client.GetStream().Write(new byte[] { 1, 2, 3 });
            accepted.GetStream().ReadExactly(new byte[3]);
        }
    }

    /// <summary>A bound UDP socket (so loopback sends draw no ICMP port-unreachable), and its port.</summary>
    public static UdpClient UdpSink() => new(new IPEndPoint(IPAddress.Loopback, 0));

    public static int Port(UdpClient sink) => ((IPEndPoint)sink.Client.LocalEndPoint!).Port;

    public static void SendUdp(int port, int count, int size)
    {
        using var sender = new UdpClient();
        var payload = new byte[size];
        var target = new IPEndPoint(IPAddress.Loopback, port);
        for (var i = 0; i < count; i++)
        {
            sender.Send(payload, payload.Length, target);
        }
    }

    /// <summary>Packets tshark reads in a file (-Y narrows); throws when tshark cannot read the file.</summary>
    public static int TsharkCount(string file, string? displayFilter = null)
    {
        var filter = displayFilter is null ? "" : $" -Y \"{displayFilter}\"";
        var (code, stdout, stderr) = Shell.TryRun(Requires.TsharkPath, $"-n -r \"{file}\"{filter} -T fields -e frame.number");
        if (code != 0)
        {
            throw new InvalidOperationException($"tshark could not read {file} (exit {code}): {stderr}");
        }
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gnt-capture-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
}
