using System.Collections.Generic;
using GoNetTools.Analysis.PcapFiles;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.Tcp;

/// <summary>Receives flows as they end and TLS handshakes as they complete.</summary>
internal interface IFlowObserver
{
    void OnFlowEnded(FlowState flow, bool captureEnded);
    void OnHandshake(FlowState flow);
}

/// <summary>
/// Follows TCP connections through a capture: the SYN sender is the client; a flow first seen without its
/// SYN is marked mid-stream. A connection ends (and is reported) once it has closed — both FINs or a RST —
/// and stayed quiet for <see cref="LingerTicks"/> of capture time, or when a new SYN reuses its 4-tuple, or
/// at the end of the capture. Memory: one <see cref="FlowState"/> per open connection.
/// </summary>
internal sealed class TcpFlowTracker
{
    /// <summary>Late ACKs and resent FINs after a close still belong to the old connection.</summary>
    public const long LingerTicks = 5 * 10_000_000L;

    private readonly FlowTable _flows = new();
    private readonly Queue<FlowState> _closed = new();
    private readonly IFlowObserver _observer;
    private readonly IHttp2FrameSink? _frameSink;
    private readonly bool _readPayload;

    public TcpFlowTracker(IFlowObserver observer, IHttp2FrameSink? frameSink, bool readPayload)
    {
        _observer = observer;
        _frameSink = frameSink;
        _readPayload = readPayload;
    }

    public int OpenFlows => _flows.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(in TcpSegment s)
    {
        var key = FlowKey.For(s, out var fromA);
        var syn = s.Has(TcpFlags.Syn);
        var ack = s.Has(TcpFlags.Ack);
        var flow = _flows.Find(key);
        if (flow is null)
        {
            flow = Start(key, fromA, s);
        }
        else if (syn && !ack && fromA == flow.ClientIsA && (flow.Closed || flow.ClientFin || flow.ServerFin || (flow.ClientIsnKnown && s.Sequence != flow.ClientIsn)))
        {
            End(flow, false);
            flow = Start(key, fromA, s);
        }
        else if (syn && !ack && fromA != flow.ClientIsA && flow.Closed)
        {
            End(flow, false); // the old server now connects out on the same tuple
            flow = Start(key, fromA, s);
        }
        var fromClient = fromA == flow.ClientIsA;
        var dir = fromClient ? flow.ToServer : flow.ToClient;
        dir.Packets++;
        dir.Bytes += s.PayloadLength;
        flow.LastTicks = s.TimestampTicks;
        CountRetransmission(dir, s, syn);

        if (syn && !ack && fromClient && !flow.ClientIsnKnown)
        {
            flow.ClientIsnKnown = true;
            flow.ClientIsn = s.Sequence;
            flow.SynTicks = s.TimestampTicks;
            StartReader(flow, flow.ToServer, s.Sequence + 1);
        }
        else if (syn && ack && !fromClient && !flow.SynAckSeen)
        {
            flow.SynAckSeen = true;
            flow.ServerIsn = s.Sequence;
            StartReader(flow, flow.ToClient, s.Sequence + 1);
            if (!flow.ClientIsnKnown && !flow.MidStream)
            {
                StartReader(flow, flow.ToServer, s.Acknowledgment); // SYN missed: the SYN-ACK acknowledges ISN+1
            }
        }
        else if (ack && fromClient && flow.SynAckSeen && flow.HandshakeRttTicks is null && flow.ClientIsnKnown && s.Acknowledgment == flow.ServerIsn + 1)
        {
            flow.HandshakeRttTicks = s.TimestampTicks - flow.SynTicks;
        }
        if (s.PayloadLength > 0 && dir.Reassembler is { Active: true } reassembler)
        {
            reassembler.Accept(s.Sequence, s.Payload, s.PayloadLength, s.TimestampTicks);
            CheckHandshake(flow);
        }
        if (s.Has(TcpFlags.Fin))
        {
            if (fromClient)
            {
                flow.ClientFin = true;
            }
            else
            {
                flow.ServerFin = true;
            }
            if (flow.FirstFin == FlowSide.None)
            {
                flow.FirstFin = fromClient ? FlowSide.Client : FlowSide.Server;
            }
        }
        if (s.Has(TcpFlags.Rst) && flow.ResetBy == FlowSide.None)
        {
            flow.ResetBy = fromClient ? FlowSide.Client : FlowSide.Server;
        }
        if (flow.Closed && !flow.Queued)
        {
            flow.Queued = true;
            _closed.Enqueue(flow);
        }
    }

    /// <summary>Reports closed flows that have been quiet for the linger time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Sweep(long nowTicks)
    {
        while (_closed.Count > 0 && _closed.Peek().LastTicks + LingerTicks < nowTicks)
        {
            End(_closed.Dequeue(), false);
        }
    }

    /// <summary>Reports every flow still held, in the order they started.</summary>
    public void EndAll()
    {
        var rest = _flows.ToList();
        rest.Sort((x, y) => x.StartTicks.CompareTo(y.StartTicks));
        foreach (var flow in rest)
        {
            End(flow, true);
        }
        _closed.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FlowState Start(FlowKey key, bool fromA, in TcpSegment s)
    {
        var syn = s.Has(TcpFlags.Syn);
        var ack = s.Has(TcpFlags.Ack);
        bool clientIsA;
        var midStream = false;
        if (syn)
        {
            clientIsA = ack ? !fromA : fromA;
        }
        else
        {
            // No handshake seen: guess the client as the side with the higher (ephemeral-looking) port.
            midStream = true;
            var portA = key.PortA;
            var portB = key.PortB;
            clientIsA = portA != portB ? portA > portB : fromA;
        }
        var flow = new FlowState(key, clientIsA, midStream, s.TimestampTicks);
        if (_readPayload && !midStream)
        {
            flow.Application = new FlowApplication(flow, _frameSink);
        }
        _flows.Add(flow);
        return flow;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StartReader(FlowState flow, DirectionState dir, uint firstSequence)
    {
        if (flow.Application is { } app && dir.Reassembler is null)
        {
            dir.Reassembler = new StreamReassembler(ReferenceEquals(dir, flow.ToServer) ? app.ClientSide : app.ServerSide, firstSequence);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountRetransmission(DirectionState dir, in TcpSegment s, bool syn)
    {
        var length = (uint)s.PayloadLength + (syn ? 1u : 0u) + (s.Has(TcpFlags.Fin) ? 1u : 0u);
        var end = s.Sequence + length;
        if (!dir.SequenceKnown)
        {
            dir.SequenceKnown = true;
            dir.MaxSequenceEnd = end;
            return;
        }
        if (length == 0)
        {
            return;
        }
        var behind = (int)(dir.MaxSequenceEnd - end);
        // Keep-alives and zero-window probes resend one byte just below the edge: not retransmissions.
        var probe = length == 1 && !syn && !s.Has(TcpFlags.Fin) && s.Sequence + 1 == dir.MaxSequenceEnd;
        if (behind >= 0 && !probe)
        {
            dir.Retransmissions++;
        }
        if (behind < 0)
        {
            dir.MaxSequenceEnd = end;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckHandshake(FlowState flow)
    {
        // Report once the client has finished and the ServerHello has been read (or can no longer be): segments
        // of the two directions may be captured slightly out of order, so wait for both.
        if (!flow.HandshakeReported && flow.Application?.ClientTls is { ClientHello: not null, FinishedTicks: not null }
            && (flow.Application.ServerTls?.ServerHello is not null || flow.ToClient.Reassembler is not { Active: true }))
        {
            flow.HandshakeReported = true;
            _observer.OnHandshake(flow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void End(FlowState flow, bool captureEnded)
    {
        if (flow.Finished)
        {
            return;
        }
        flow.Finished = true;
        _flows.Remove(flow);
        if (!flow.HandshakeReported && flow.Application?.ClientTls?.ClientHello is not null)
        {
            flow.HandshakeReported = true;
            _observer.OnHandshake(flow);
        }
        _observer.OnFlowEnded(flow, captureEnded);
    }
}
