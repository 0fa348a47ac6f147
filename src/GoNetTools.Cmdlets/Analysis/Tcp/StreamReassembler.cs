using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.Tcp;

/// <summary>
/// In-order delivery of one direction's payload to a consumer, in bounded memory: segments that arrive
/// ahead of a gap wait in a small buffer (at most <see cref="MaxPendingSegments"/> segments and
/// <see cref="MaxPendingBytes"/> bytes); past that, or at a hole the capture never fills (a snap-length cut,
/// a lost packet), reassembly stops for this direction. It also stops as soon as the consumer has what it
/// needs, so a long transfer costs nothing.
/// </summary>
internal sealed class StreamReassembler
{
    public const int MaxPendingSegments = 16;
    public const int MaxPendingBytes = 64 * 1024;

    private readonly IStreamConsumer _consumer;
    private List<Pending>? _pending;
    private int _pendingBytes;
    private uint _next;

    public StreamReassembler(IStreamConsumer consumer, uint firstSequence)
    {
        _consumer = consumer;
        _next = firstSequence;
    }

    /// <summary>False once the consumer is done or a gap cannot be closed.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>Why reassembly stopped early, when it did for a gap.</summary>
    public bool StoppedAtGap { get; private set; }

    /// <param name="sequence">Sequence number of the first payload byte.</param>
    /// <param name="payload">The captured payload.</param>
    /// <param name="declaredLength">The payload length the headers declare (larger when the snap length cut it).</param>
    /// <param name="ticks">Capture time.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(uint sequence, ReadOnlySpan<byte> payload, int declaredLength, long ticks)
    {
        if (!Active || declaredLength == 0)
        {
            return;
        }
        var offset = (int)(sequence - _next); // serial-number arithmetic: wraps correctly
        if (offset > 0)
        {
            Hold(sequence, payload, declaredLength, ticks);
            return;
        }
        Deliver(sequence, payload, declaredLength, ticks);
        Drain();
    }

    private void Deliver(uint sequence, ReadOnlySpan<byte> payload, int declaredLength, long ticks)
    {
        var skip = (int)(_next - sequence);
        if (skip < 0 || skip >= declaredLength)
        {
            // Wholly a retransmission of bytes already delivered; skip < 0 is a sequence exactly 2^31 behind
            // (found by afl-fuzz: the int wraps, and slicing at a negative offset threw).
            return;
        }
        if (skip < payload.Length && !_consumer.Feed(payload[skip..], ticks))
        {
            Stop(false);
            return;
        }
        if (payload.Length < declaredLength)
        {
            Stop(true); // the snap length cut bytes that will never arrive
            return;
        }
        _next = sequence + (uint)declaredLength;
    }

    private void Hold(uint sequence, ReadOnlySpan<byte> payload, int declaredLength, long ticks)
    {
        _pending ??= new List<Pending>(4);
        if (_pending.Count >= MaxPendingSegments || _pendingBytes + payload.Length > MaxPendingBytes || payload.Length < declaredLength)
        {
            Stop(true);
            return;
        }
        _pending.Add(new Pending(sequence, payload.ToArray(), ticks));
        _pendingBytes += payload.Length;
    }

    private void Drain()
    {
        while (Active && _pending is { Count: > 0 })
        {
            var progressed = false;
            for (var i = 0; i < _pending.Count && Active; i++)
            {
                var p = _pending[i];
                if ((int)(p.Sequence - _next) <= 0)
                {
                    _pending.RemoveAt(i);
                    _pendingBytes -= p.Bytes.Length;
                    Deliver(p.Sequence, p.Bytes, p.Bytes.Length, p.Ticks);
                    progressed = true;
                    break;
                }
            }
            if (!progressed)
            {
                return;
            }
        }
    }

    private void Stop(bool gap)
    {
        Active = false;
        StoppedAtGap = gap;
        if (gap)
        {
            _consumer.OnGap();
        }
        _pending = null;
        _pendingBytes = 0;
    }

    private readonly record struct Pending(uint Sequence, byte[] Bytes, long Ticks);
}
