using System;
using System.IO;
using System.Linq;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Capture;

/// <summary>Start/Get/Stop-PacketCapture through the real engine on loopback, judged by tshark.</summary>
[Trait("Category", Category.Root)]
[Collection("capture")]
public sealed class CaptureSessionTests
{
    [SkippableFact]
    public void Port_filter_sees_each_test_connection_and_counts_what_tshark_reads()
    {
        var dir = CaptureTraffic.TempDir();
        var file = Path.Combine(dir, "conn.pcap");
        using var listener = CaptureTraffic.Listener();
        var port = CaptureTraffic.Port(listener);
        using var other = CaptureTraffic.Listener(); // traffic the filter must leave out
        using var rs = new ModuleRunspace();
        var start = rs.Invoke($"Start-PacketCapture -Adapter lo -Filter 'tcp port {port}' -Path {CaptureTraffic.Quote(file)}");
        Assert.Empty(start.AllErrors);
        var session = Assert.Single(start.Objects<CaptureSession>());
        Assert.Equal(CaptureState.Running, session.State);
        Assert.Equal("GoNetTools.CaptureSession", start.Output[0].TypeNames[0]);

        CaptureTraffic.Connect(listener, 7);
        CaptureTraffic.Connect(other, 3);
        var running = Assert.Single(rs.Invoke($"Get-PacketCapture -Id {session.Id}").Objects<CaptureSession>());
        Assert.Equal(CaptureState.Running, running.State);

        var stop = rs.Invoke($"Stop-PacketCapture -Id {session.Id}");
        Assert.Empty(stop.AllErrors);
        var final = Assert.Single(stop.Objects<CaptureSession>());
        Assert.Equal(CaptureState.Stopped, final.State);
        Assert.NotNull(final.EndTime);
        Assert.Null(final.Error);
        Assert.Equal(new[] { file }, final.Files);
        // Known connections: one SYN (without ACK) per connection to the filtered port, none from the other one.
        Assert.Equal(7, CaptureTraffic.TsharkCount(file, "tcp.flags.syn==1 && tcp.flags.ack==0"));
        Assert.Equal(0, CaptureTraffic.TsharkCount(file, $"tcp.port=={CaptureTraffic.Port(other)}"));
        var inFile = CaptureTraffic.TsharkCount(file);
        Assert.True(inFile >= 7 * 6, $"only {inFile} packets for 7 connections");
        Assert.Equal(inFile, final.Packets);
        Assert.True(final.Bytes > final.Packets * 54);
        Assert.Equal(0, final.Dropped);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    public void Ring_keeps_exactly_FileCount_files_each_readable()
    {
        var dir = CaptureTraffic.TempDir();
        var basePath = Path.Combine(dir, "ring.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        using var rs = new ModuleRunspace();
        var start = rs.Invoke($"Start-PacketCapture lo 'udp port {port}' -Path {CaptureTraffic.Quote(basePath)} -MaxFileSizeMB 1 -FileCount 3");
        Assert.Empty(start.AllErrors);
        var id = Assert.Single(start.Objects<CaptureSession>()).Id;
        // About 6.5 MB on the wire: six or seven 1 MiB files, of which the newest three stay.
        for (var burst = 0; burst < 10; burst++)
        {
            CaptureTraffic.SendUdp(port, 500, 1200);
            Thread.Sleep(20);
        }
        var final = Assert.Single(rs.Invoke($"Get-PacketCapture -Id {id} | Stop-PacketCapture").Objects<CaptureSession>());
        Assert.Equal(CaptureState.Stopped, final.State);
        Assert.Equal(5000, final.Packets);
        Assert.Equal(3, final.Files.Length);
        var onDisk = Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.Equal(final.Files.OrderBy(f => f, StringComparer.Ordinal), onDisk);
        Assert.Matches(@"ring_\d{5}_\d{14}\.pcap$", final.Files[0]);
        Assert.Equal(final.Files[^1], final.Path);
        var counts = final.Files.Select(f => CaptureTraffic.TsharkCount(f)).ToArray();
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.All(final.Files, f => Assert.True(new FileInfo(f).Length <= 1024 * 1024));
        Assert.True(counts.Sum() < final.Packets, "older files were not rotated out");
        Assert.All(final.Files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [SkippableFact]
    public void Dropped_comes_from_pcap_stats_when_a_small_buffer_overflows()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "drops.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        using var rs = new ModuleRunspace();
        var id = Assert.Single(rs.Invoke($"Start-PacketCapture lo 'udp port {port}' -Path {CaptureTraffic.Quote(file)} -BufferSizeMB 1").Objects<CaptureSession>()).Id;
        const int Sent = 100_000;
        using (var tx = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp))
        {
            tx.Connect(System.Net.IPAddress.Loopback, port);
            var payload = new byte[1000];
            for (var i = 0; i < Sent; i++)
            {
                tx.Send(payload);
            }
        }
        var final = Assert.Single(rs.Invoke($"Stop-PacketCapture -Id {id}").Objects<CaptureSession>());
        // A 1 MiB ring cannot hold a 100k-datagram burst: the kernel drops and pcap_stats says so. On lo the kernel
        // sees each packet twice (out and in; libpcap keeps one), so drops can count both copies: captured plus
        // dropped covers everything sent, never less.
        Assert.True(final.Dropped > 0, $"no drops reported, {final.Packets} captured");
        Assert.True(final.Packets < Sent);
        Assert.True(final.Packets + final.Dropped >= Sent, $"{final.Packets} + {final.Dropped} < {Sent}");
        Assert.Equal(final.Packets, CaptureTraffic.TsharkCount(file));
    }

    [SkippableFact]
    public void Wait_with_PacketCount_runs_in_the_foreground_and_stops_at_the_count()
    {
        var dir = CaptureTraffic.TempDir();
        var file = Path.Combine(dir, "count.pcap");
        using var sink = CaptureTraffic.UdpSink();
        var port = CaptureTraffic.Port(sink);
        using var stopTraffic = new CancellationTokenSource();
        var traffic = new Thread(() =>
        {
            while (!stopTraffic.IsCancellationRequested)
            {
                CaptureTraffic.SendUdp(port, 20, 100);
                Thread.Sleep(10);
            }
        });
        traffic.Start();
        try
        {
            using var rs = new ModuleRunspace();
            var result = rs.Invoke($"Start-PacketCapture -Adapter lo -Filter 'udp port {port}' -Path {CaptureTraffic.Quote(file)} -PacketCount 50 -Wait");
            Assert.Empty(result.AllErrors);
            var session = Assert.Single(result.Objects<CaptureSession>());
            Assert.Equal(CaptureState.Stopped, session.State);
            Assert.Equal(50, session.Packets);
            Assert.Equal(50, CaptureTraffic.TsharkCount(file));
        }
        finally
        {
            stopTraffic.Cancel();
            traffic.Join();
        }
    }

    [SkippableFact]
    public void Duration_stops_a_background_session_by_itself()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "timed.pcap");
        using var rs = new ModuleRunspace();
        var id = Assert.Single(rs.Invoke($"Start-PacketCapture lo 'udp port 9' -Path {CaptureTraffic.Quote(file)} -Duration 00:00:01").Objects<CaptureSession>()).Id;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        CaptureSession now;
        do
        {
            Thread.Sleep(200);
            now = Assert.Single(rs.Invoke($"Get-PacketCapture -Id {id}").Objects<CaptureSession>());
        }
        while (now.State == CaptureState.Running && DateTime.UtcNow < deadline);
        Assert.Equal(CaptureState.Stopped, now.State);
        Assert.InRange((now.EndTime!.Value - now.StartTime).TotalSeconds, 0.9, 5);
        Assert.Equal(0, CaptureTraffic.TsharkCount(file)); // a valid, empty pcap
    }
}
