using System;

namespace GoNetTools.Analysis.Tcp;

/// <summary>Something that reads one direction of a TCP stream, in order, as the reassembler delivers it.</summary>
internal interface IStreamConsumer
{
    /// <summary>Next in-order bytes, seen at <paramref name="ticks"/>. Returns false once it needs no more.</summary>
    bool Feed(ReadOnlySpan<byte> data, long ticks);

    /// <summary>The stream has a hole that will never fill (snap length, lost packet): make do with what came.</summary>
    void OnGap()
    {
    }
}
