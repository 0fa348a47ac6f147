using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using GoNetTools.Foundation;

namespace GoNetTools.Analysis;

/// <summary>
/// Folds flows and handshakes into a <see cref="CaptureSummary"/>. Independent of where they came from, so
/// Measure-PacketCapture and Measure-GoModDownload share it: feed objects, then <see cref="Build"/>.
/// Holds one double per closed flow (for the lifetime percentiles) and small per-SNI / per-code tallies.
/// </summary>
internal sealed class CaptureSummaryBuilder
{
    private readonly List<double> _lifetimesMs = new();
    private readonly Dictionary<string, int> _bySni = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Http2ErrorCount> _goAways = new();
    private readonly List<Http2ErrorCount> _rstStreams = new();
    private readonly List<string> _warnings = new();
    private int _connections;
    private int _midStream;
    private int _opened;
    private int _handshakes;
    private int _clientHolds;
    private int _serverHolds;
    private int _resets;
    private long _retransmissions;
    private int _requests;
    private int _flowsWithRequests;
    private long _packets;
    private TimeSpan _duration;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(TcpFlow flow)
    {
        _connections++;
        if (flow.MidStream)
        {
            _midStream++;
        }
        else
        {
            _opened++;
        }
        if (!flow.Open)
        {
            _lifetimesMs.Add(flow.Duration.TotalMilliseconds);
        }
        if (flow.TimeWaitHolder == FlowSide.Client)
        {
            _clientHolds++;
        }
        else if (flow.TimeWaitHolder == FlowSide.Server)
        {
            _serverHolds++;
        }
        if (flow.ResetBy != FlowSide.None)
        {
            _resets++;
        }
        _retransmissions += flow.Retransmissions;
        if (flow.Http2Streams is { } streams)
        {
            _requests += streams;
            _flowsWithRequests++;
        }
        foreach (var g in flow.GoAways ?? Array.Empty<Http2ErrorCount>())
        {
            Tcp.FlowApplication.Tally(_goAways, g.ErrorCode, g.Count);
        }
        if (flow.RstStreams is { } rst)
        {
            foreach (var r in rst)
            {
                Tcp.FlowApplication.Tally(_rstStreams, r.ErrorCode, r.Count);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(TlsHandshake handshake)
    {
        _handshakes++;
        var key = handshake.Sni ?? "(none)";
        _bySni[key] = _bySni.TryGetValue(key, out var n) ? n + 1 : 1;
    }

    /// <summary>Packets and the first-to-last span of one more capture file.</summary>
    public void AddCapture(long packets, TimeSpan duration, string? warning)
    {
        _packets += packets;
        _duration += duration;
        if (warning is not null)
        {
            _warnings.Add(warning);
        }
    }

    public CaptureSummary Build(string path)
    {
        _lifetimesMs.Sort();
        return new CaptureSummary
        {
            Path = path,
            Packets = _packets,
            Duration = _duration,
            Connections = _connections,
            MidStreamConnections = _midStream,
            ConnectionsPerSecond = _duration.TotalSeconds > 0 ? Math.Round(_opened / _duration.TotalSeconds, 2) : 0,
            TlsHandshakes = _handshakes,
            TlsHandshakesBySni = _bySni.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new SniCount { Sni = p.Key, Count = p.Value }).ToArray(),
            LifetimeP50 = TimeSpan.FromMilliseconds(Foundation.Percentiles.NearestRank(_lifetimesMs, 50)),
            LifetimeP95 = TimeSpan.FromMilliseconds(Foundation.Percentiles.NearestRank(_lifetimesMs, 95)),
            LifetimeMax = _lifetimesMs.Count > 0 ? TimeSpan.FromMilliseconds(_lifetimesMs[^1]) : TimeSpan.Zero,
            TimeWaitOnClient = _clientHolds,
            TimeWaitOnServer = _serverHolds,
            Resets = _resets,
            Retransmissions = _retransmissions,
            GoAways = _goAways.OrderBy(c => c.ErrorCode).ToArray(),
            RstStreams = _rstStreams.OrderBy(c => c.ErrorCode).ToArray(),
            Requests = _flowsWithRequests > 0 ? _requests : null,
            ConnectionReuse = _flowsWithRequests > 0 ? Math.Round((double)_requests / _flowsWithRequests, 2) : null,
            Warnings = _warnings.ToArray(),
        };
    }
}
