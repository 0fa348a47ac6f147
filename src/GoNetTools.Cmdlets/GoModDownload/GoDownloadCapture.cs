using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using GoNetTools.Analysis;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Capture;

namespace GoNetTools.GoModDownload;

/// <summary>
/// The capture side of Measure-GoModDownload: which adapter and BPF filter see the traffic to a proxy, and the
/// analysis of the finished capture into the wire figures of a <see cref="GoModDownloadMeasurement"/>.
/// </summary>
internal static class GoDownloadCapture
{
    /// <summary>
    /// The default adapter: the loopback device for a proxy on a loopback address, else libpcap's "any" (every
    /// interface, so the route need not be guessed). -Adapter overrides both.
    /// </summary>
    public static string DefaultAdapter(IReadOnlyList<IPAddress> proxyAddresses) =>
        proxyAddresses.Count > 0 && proxyAddresses.All(IPAddress.IsLoopback)
            ? Platform.PlatformServices.LoopbackAdapter
            : "any";

    /// <summary>The proxy's addresses: the literal IP, or what DNS answers (empty when it cannot).</summary>
    public static IReadOnlyList<IPAddress> Addresses(Uri proxy)
    {
        if (IPAddress.TryParse(proxy.DnsSafeHost, out var ip))
        {
            return new[] { ip };
        }
        try
        {
            return Dns.GetHostAddresses(proxy.DnsSafeHost);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            return Array.Empty<IPAddress>();
        }
    }

    /// <summary>
    /// "tcp and (host A or host B) and port P"; with the checksum database in use, "or tcp port 443" is added (its
    /// host is resolved by go, not here). Without an address, the port alone.
    /// </summary>
    public static string Filter(Uri proxy, IReadOnlyList<IPAddress> addresses, bool sumDb)
    {
        var hosts = addresses.Count == 0 ? "" : "(" + string.Join(" or ", addresses.Select(a => $"host {a}")) + ") and ";
        var proxyPart = $"tcp and {hosts}port {proxy.Port}";
        return sumDb ? $"({proxyPart}) or tcp port 443" : proxyPart;
    }

    /// <summary>The wire figures of one capture file: flows and handshakes through the shared summary builder.</summary>
    public static (CaptureSummary Summary, string[] Protocols) Analyze(string path, CancellationToken cancel)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = CaptureReader.Open(stream, path);
        var analyzer = new CaptureAnalyzer(path, AnalysisOutputs.Flows | AnalysisOutputs.Handshakes);
        var builder = new CaptureSummaryBuilder();
        var protocols = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var result in analyzer.Run(reader, cancel))
        {
            switch (result)
            {
                case TcpFlow flow:
                    builder.Add(flow);
                    if (Protocol(flow) is { } p)
                    {
                        protocols.Add(p);
                    }
                    break;
                case TlsHandshake handshake:
                    builder.Add(handshake);
                    break;
            }
        }
        var span = analyzer.Packets > 0 ? TimeSpan.FromTicks(analyzer.LastTicks - analyzer.FirstTicks) : TimeSpan.Zero;
        builder.AddCapture(analyzer.Packets, span, analyzer.Warning);
        return (builder.Build(path), protocols.ToArray());
    }

    private static string? Protocol(TcpFlow flow) => flow.Protocol switch
    {
        FlowProtocol.Tls => flow.AlpnSelected ?? (flow.TlsVersion is { } v ? $"{v} (ALPN hidden)" : "tls"),
        FlowProtocol.Http2 => "h2c",
        FlowProtocol.Http2Upgrade => "h2c (upgrade)",
        FlowProtocol.Http1 => "http/1.1",
        _ => null,
    };
}
