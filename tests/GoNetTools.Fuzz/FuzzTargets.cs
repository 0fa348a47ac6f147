using System;
using System.IO;
using System.Threading;
using GoNetTools.Analysis;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Analysis.Http2;
using GoNetTools.Analysis.Tls;
using GoNetTools.Tuning;
using GoNetTools.Platform.Linux;
using GoNetTools.Platform.MacOS;
using GoNetTools.Protocols.Http2;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Fuzz;

/// <summary>
/// The parser entry points fuzzing drives. Each must return normally for any input: an exception escaping is
/// a finding. Bytes are fed in pieces whose sizes come from the input itself, so segment boundaries vary too.
/// </summary>
public static class FuzzTargets
{
    /// <summary>TLS: hello bodies directly, then record streams through both stream readers.</summary>
    public static void Tls(ReadOnlySpan<byte> data)
    {
        TlsHelloParser.ParseClientHello(data);
        TlsHelloParser.ParseServerHello(data);
        var client = new TlsStreamReader(isClient: true);
        var server = new TlsStreamReader(isClient: false);
        FeedInPieces(data, (piece, ticks) => client.Feed(piece, ticks), client.OnGap);
        FeedInPieces(data, (piece, ticks) => server.Feed(piece, ticks), server.OnGap);
        _ = client.ClientHello?.Sni;
    }

    /// <summary>HTTP/2: frame streams with and without the preface, and behind an h2c upgrade head.</summary>
    public static void Http2(ReadOnlySpan<byte> data)
    {
        var frames = 0;
        Http2FrameHandler onFrame = (in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks) =>
        {
            frames++;
            Http2Frames.TryReadGoAway(payload, out _, out _, out _);
            Http2Frames.TryReadRstStream(payload, out _);
            Http2Frames.ReadSettings(payload);
            Http2Frames.TryReadWindowUpdate(payload, out _);
            Http2Frames.SettingName((ushort)header.Length);
        };
        var prior = new Http2StreamReader(expectPreface: data.Length > 0 && (data[0] & 1) == 0, onFrame);
        FeedInPieces(data, (piece, ticks) => prior.Feed(piece, ticks), null);
        var upgrade = new H2cUpgradeReader(data.Length > 1 && (data[1] & 1) == 0, () => new Http2StreamReader(true, onFrame));
        FeedInPieces(data, (piece, ticks) => upgrade.Feed(piece, ticks), null);
    }

    /// <summary>Whole capture files: a non-capture is a GoNetToolsException by design, anything else a finding.</summary>
    public static void Capture(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = CaptureReader.Open(new MemoryStream(data.ToArray()), "fuzz");
            foreach (var _ in new CaptureAnalyzer("fuzz", AnalysisOutputs.Flows | AnalysisOutputs.Handshakes | AnalysisOutputs.Frames).Run(reader, CancellationToken.None))
            {
            }
        }
        catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.InvalidCaptureFile)
        {
        }
    }

    /// <summary>
    /// The /proc parsers: /proc/net/tcp{,6} rows, the netstat/snmp key-value pairs, sockstat, /proc/interrupts and a
    /// NETLINK_SOCK_DIAG buffer with tcp_info. Malformed lines are warnings by design; an exception is a finding.
    /// </summary>
    public static void Proc(ReadOnlySpan<byte> data)
    {
        var text = System.Text.Encoding.Latin1.GetString(data);
        var query = new Platform.TcpStateQuery();
        foreach (var family in new[] { IPFamily.IPv4, IPFamily.IPv6 })
        {
            foreach (var _ in ProcNetTcpParser.Parse(new StringReader(text), family, query, "fuzz", _ => { }))
            {
            }
        }
        ProcNetCounterParser.ParsePairs(new StringReader(text), new System.Collections.Specialized.OrderedDictionary(), "fuzz", _ => { });
        ProcNetCounterParser.ParseSockstat(new StringReader(text), new System.Collections.Specialized.OrderedDictionary(), "fuzz", _ => { });
        ProcInterruptsParser.Parse(text.Split('\n'));
        var diag = new InetDiagParser();
        var offset = 0;
        while (offset < data.Length)
        {
            var before = offset;
            diag.Next(data, ref offset, includeInfo: true, out _, out _);
            if (offset <= before)
            {
                throw new InvalidOperationException("InetDiagParser.Next did not advance");
            }
        }
        TcpInfoParser.Parse(data);
    }

    /// <summary>macOS netstat: `netstat -s -p tcp` counters and the `netstat -anv` socket table (both layouts).</summary>
    public static void Netstat(ReadOnlySpan<byte> data)
    {
        var text = System.Text.Encoding.Latin1.GetString(data);
        MacNetstatStatsParser.Parse(new StringReader(text), new System.Collections.Specialized.OrderedDictionary(), "fuzz", _ => { });
        foreach (var _ in MacNetstatTableParser.Parse(new StringReader(text), new Platform.TcpStateQuery(), "fuzz", _ => { }))
        {
        }
    }

    /// <summary>
    /// A tuning backup as untrusted input, read against each OS's catalog, and the persisted-file editor on the same
    /// text. The only exception allowed is TuningBackupInvalid: anything else (or a backup that passes validation
    /// with a non-catalog key) is a finding.
    /// </summary>
    public static void Backup(ReadOnlySpan<byte> data)
    {
        var text = System.Text.Encoding.UTF8.GetString(data);
        var catalog = TunableCatalog.Instance;
        foreach (var (os, persistPath) in new[] { ("linux", "/etc/sysctl.d/90-gonettools.conf"), ("macos", "/etc/sysctl.conf"), ("windows", (string?)null) })
        {
            var keys = new System.Collections.Generic.HashSet<string>(
                System.Linq.Enumerable.SelectMany(catalog.For(os), d => d.Key.Split(' ')), StringComparer.Ordinal);
            try
            {
                var snapshot = TuningBackupReader.Read("fuzz.json", text, catalog, persistPath, keys);
                foreach (var name in snapshot.Values.Keys)
                {
                    _ = catalog.Find(snapshot.Os, name) ?? throw new InvalidOperationException($"accepted unknown tunable {name}");
                }
                foreach (var setting in snapshot.PersistedSettings)
                {
                    if (!keys.Contains(setting.Key) || setting.Value.Contains('\n'))
                    {
                        throw new InvalidOperationException($"accepted persisted setting {setting.Key}");
                    }
                }
                PersistedFileText.Restore(text, snapshot.Persisted, keys, new PersistStyle(" = ", null, null, null));
            }
            catch (GoNetToolsException e) when (e.ErrorId == ErrorIds.TuningBackupInvalid)
            {
            }
        }
        var state = PersistedFileText.Capture(text, new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal) { "net.ipv4.tcp_tw_reuse", "net.core.somaxconn" });
        var style = new PersistStyle("=", "header", "# BEGIN", "# END");
        var applied = PersistedFileText.Apply(text, new System.Collections.Generic.Dictionary<string, string> { ["net.ipv4.tcp_tw_reuse"] = "1" }, style);
        PersistedFileText.Restore(applied, state, new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal) { "net.ipv4.tcp_tw_reuse", "net.core.somaxconn" }, style);
    }

    private delegate bool Feed(ReadOnlySpan<byte> piece, long ticks);

    private static void FeedInPieces(ReadOnlySpan<byte> data, Feed feed, Action? onGap)
    {
        var size = data.Length > 0 ? 1 + data[^1] % 97 : 1;
        for (var at = 0; at < data.Length; at += size)
        {
            if (!feed(data[at..Math.Min(data.Length, at + size)], at))
            {
                return;
            }
        }
        onGap?.Invoke();
    }
}
