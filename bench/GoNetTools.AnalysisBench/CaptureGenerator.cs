using System;
using System.IO;
using System.Net;
using GoNetTools.Tests.Infrastructure;

namespace GoNetTools.AnalysisBench;

/// <summary>
/// Writes a pcap of synthetic connections shaped like go mod download through a proxy: handshake, TLS
/// ClientHello/ServerHello, a few request/response segments, a close by the client (most) or the server, now
/// and then a RST or a retransmission. Connections overlap (a few hundred open at once), IPv4 and IPv6.
/// </summary>
internal static class CaptureGenerator
{
    private static readonly string[] Names = { "proxy.golang.org", "sum.golang.org", "goproxy.corp.example", "storage.googleapis.com" };

    public static (long Packets, int Flows) Write(string path, int target)
    {
        using var writer = new PcapFileWriter(new BufferedStream(File.Create(path), 1 << 20), linkType: 1);
        var hellos = new byte[Names.Length][];
        for (var i = 0; i < Names.Length; i++)
        {
            hellos[i] = SyntheticPackets.ClientHelloRecord(Names[i], new[] { "h2", "http/1.1" });
        }
        var serverHello = SyntheticPackets.ServerHelloRecord(true, null);
        var request = new byte[120];
        var response = new byte[240];
        var start = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
        var server4 = IPAddress.Parse("10.20.0.1");
        var server6 = IPAddress.Parse("fd00:20::1");
        long written = 0;
        var flows = 0;
        // Interleave 256 connections at a time so the tracker holds many open flows, as a real capture does.
        const int Batch = 256;
        while (written < target)
        {
            var batch = new SyntheticFlow[Batch];
            for (var b = 0; b < Batch; b++)
            {
                var n = flows + b;
                var v6 = n % 5 == 0;
                var client = v6 ? IPAddress.Parse($"fd00:10::{1 + n % 200:x}") : IPAddress.Parse($"10.10.{n / 250 % 250}.{1 + n % 250}");
                var flow = new SyntheticFlow(client, 32768 + n % 28000, v6 ? server6 : server4, 443, start.AddMilliseconds(n * 2), (uint)(n * 7919), (uint)(n * 104729))
                {
                    Step = TimeSpan.FromMilliseconds(0.2),
                };
                flow.Handshake().ClientSends(hellos[n % hellos.Length]).ServerSends(serverHello).ClientSends(SyntheticPackets.Record(20, new byte[] { 1 }));
                for (var r = 0; r < 4 + n % 8; r++)
                {
                    flow.ClientSends(request).ServerSends(response);
                }
                if (n % 97 == 0)
                {
                    flow.ClientSegmentAt(flow.ClientSeq - (uint)request.Length, request); // a retransmission
                }
                if (n % 50 == 0)
                {
                    flow.ClientRst();
                }
                else if (n % 4 == 0)
                {
                    flow.ServerFin().ClientFin().ClientAck();
                }
                else
                {
                    flow.ClientFin().ServerFin().ClientAck();
                }
                batch[b] = flow;
            }
            // Merge the batch by time (each flow's packets are already in order).
            var cursor = new int[Batch];
            while (true)
            {
                var best = -1;
                for (var b = 0; b < Batch; b++)
                {
                    if (cursor[b] < batch[b].Packets.Count && (best < 0 || batch[b].Packets[cursor[b]].Time < batch[best].Packets[cursor[best]].Time))
                    {
                        best = b;
                    }
                }
                if (best < 0)
                {
                    break;
                }
                var (time, ip) = batch[best].Packets[cursor[best]++];
                writer.Write(time, SyntheticPackets.Ethernet(ip));
                written++;
            }
            flows += Batch;
        }
        return (written, flows);
    }
}
