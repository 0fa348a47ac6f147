using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis.Tcp;

/// <summary>
/// The open-flow table: a chained hash table keyed by <see cref="FlowKey"/>, chaining through
/// <see cref="FlowState.NextInBucket"/> so lookups allocate nothing. Written out instead of a
/// Dictionary&lt;FlowKey, FlowState&gt; because it sits on the per-packet path and is compiled fully optimised
/// from the first call (a generic dictionary over a struct key starts in tier-0 code, which dominated short runs).
/// </summary>
internal sealed class FlowTable
{
    private FlowState?[] _buckets = new FlowState?[1024];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FlowState? Find(in FlowKey key)
    {
        var hash = key.Hash();
        for (var f = _buckets[hash & (_buckets.Length - 1)]; f is not null; f = f.NextInBucket)
        {
            if (f.KeyHash == hash && f.Key.Equals(key))
            {
                return f;
            }
        }
        return null;
    }

    /// <summary>Adds a flow whose key is not in the table (the caller removed any older flow first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(FlowState flow)
    {
        if (Count >= _buckets.Length)
        {
            Grow();
        }
        ref var head = ref _buckets[flow.KeyHash & (_buckets.Length - 1)];
        flow.NextInBucket = head;
        head = flow;
        Count++;
    }

    /// <summary>Removes exactly this flow object (not merely one with the same key).</summary>
    public bool Remove(FlowState flow)
    {
        ref var link = ref _buckets[flow.KeyHash & (_buckets.Length - 1)];
        while (link is not null)
        {
            if (ReferenceEquals(link, flow))
            {
                link = flow.NextInBucket;
                flow.NextInBucket = null;
                Count--;
                return true;
            }
            link = ref link.NextInBucket;
        }
        return false;
    }

    public List<FlowState> ToList()
    {
        var all = new List<FlowState>(Count);
        foreach (var head in _buckets)
        {
            for (var f = head; f is not null; f = f.NextInBucket)
            {
                all.Add(f);
            }
        }
        return all;
    }

    private void Grow()
    {
        var old = _buckets;
        _buckets = new FlowState?[old.Length * 2];
        foreach (var head in old)
        {
            var f = head;
            while (f is not null)
            {
                var next = f.NextInBucket;
                ref var slot = ref _buckets[f.KeyHash & (_buckets.Length - 1)];
                f.NextInBucket = slot;
                slot = f;
                f = next;
            }
        }
    }
}
