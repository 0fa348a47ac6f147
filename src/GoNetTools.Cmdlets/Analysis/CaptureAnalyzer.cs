using System;
using System.Collections.Generic;
using System.Threading;
using GoNetTools.Analysis.PcapFiles;
using GoNetTools.Analysis.Http2;
using GoNetTools.Analysis.Tcp;
using System.Runtime.CompilerServices;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Analysis;

/// <summary>Which objects an analysis run yields.</summary>
[Flags]
internal enum AnalysisOutputs
{
    None = 0,
    Flows = 1,
    Handshakes = 2,
    Frames = 4,
}

/// <summary>
/// Reads a capture once and streams what was asked for: <see cref="TcpFlow"/> as each connection ends,
/// <see cref="TlsHandshake"/> as each handshake completes, <see cref="Http2Frame"/> as each frame is whole.
/// Constant memory per open connection; a truncated file yields what was read and sets <see cref="Warning"/>.
/// </summary>
internal sealed class CaptureAnalyzer : IFlowObserver, IHttp2FrameSink
{
    private const int SweepEveryPackets = 4096;
    private readonly AnalysisOutputs _outputs;
    private readonly FlowModels _models;
    private readonly TcpFlowTracker _tracker;
    private readonly Queue<object> _ready = new();
    private CaptureReader? _reader;

    public CaptureAnalyzer(string path, AnalysisOutputs outputs)
    {
        _outputs = outputs;
        _models = new FlowModels(path);
        _tracker = new TcpFlowTracker(this, (outputs & AnalysisOutputs.Frames) != 0 ? this : null, readPayload: true);
    }

    /// <summary>Packets read.</summary>
    public long Packets { get; private set; }

    /// <summary>TCP segments decoded.</summary>
    public long TcpSegments { get; private set; }

    /// <summary>Packets of a link type this reader does not decode.</summary>
    public long UnsupportedLinkPackets { get; private set; }

    public long FirstTicks { get; private set; } = long.MaxValue;

    public long LastTicks { get; private set; } = long.MinValue;

    /// <summary>The reader's truncation warning, once reading ended.</summary>
    public string? Warning => _failure ?? _reader?.Warning;

    /// <summary>Bytes of the file read so far (for progress).</summary>
    public long Position => _reader?.Position ?? 0;

    /// <summary>Streams the requested objects; stops early (without error) when <paramref name="cancel"/> fires.</summary>
    public IEnumerable<object> Run(CaptureReader reader, CancellationToken cancel)
    {
        _reader = reader;
        while (!cancel.IsCancellationRequested && Step())
        {
            while (_ready.Count > 0)
            {
                yield return _ready.Dequeue();
            }
        }
        if (cancel.IsCancellationRequested)
        {
            yield break; // Ctrl+C: stop now rather than report every open flow
        }
        _tracker.EndAll();
        while (_ready.Count > 0)
        {
            yield return _ready.Dequeue();
        }
    }

    /// <summary>Set when a block or packet could not be read: what was read before it is kept and the file ends there.</summary>
    private string? _failure;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Step()
    {
        CapturedPacket packet;
        try
        {
            if (!_reader!.TryReadPacket(out packet))
            {
                return false;
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
        {
            // The readers are written not to throw on bad bytes; should one still do, the file ends here like a
            // truncated one rather than losing every flow read so far.
            _failure = $"The block after packet {Packets} could not be read ({e.Message}); the rest of the file was skipped.";
            return false;
        }
        Packets++;
        var ticks = packet.TimestampTicks;
        if (ticks < FirstTicks)
        {
            FirstTicks = ticks;
        }
        if (ticks > LastTicks)
        {
            LastTicks = ticks;
        }
        if (!LinkLayer.IsSupported(packet.LinkType))
        {
            UnsupportedLinkPackets++;
        }
        else if (PacketDecoder.TryDecode(packet, out var segment))
        {
            TcpSegments++;
            _tracker.Process(segment);
        }
        if (Packets % SweepEveryPackets == 0)
        {
            _tracker.Sweep(LastTicks);
        }
        return true;
    }

    void IFlowObserver.OnFlowEnded(FlowState flow, bool captureEnded)
    {
        if ((_outputs & AnalysisOutputs.Flows) != 0)
        {
            _ready.Enqueue(_models.Flow(flow, captureEnded));
        }
    }

    void IFlowObserver.OnHandshake(FlowState flow)
    {
        if ((_outputs & AnalysisOutputs.Handshakes) != 0)
        {
            _ready.Enqueue(_models.Handshake(flow));
        }
    }

    void IHttp2FrameSink.OnFrame(FlowState flow, FlowDirection direction, in Http2FrameHeader header, ReadOnlySpan<byte> payload, long ticks) =>
        _ready.Enqueue(_models.Frame(flow, direction, header, payload, ticks));
}
