using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.Foundation;

/// <summary>Whether an interrupt's CPUs sit on its adapter's NUMA node: the one rule Get-NicInterrupt and Test-GoWorkstation share.</summary>
internal static class NumaPlacement
{
    /// <summary>
    /// The nodes of <paramref name="cpus"/> and whether any differs from <paramref name="adapterNode"/>. Unknown (nulls)
    /// when the adapter has no node or the CPUs' nodes are not exposed; a machine with one node is never off-node.
    /// </summary>
    public static (int? AdapterNode, int[]? CpuNodes, bool? OffNode) Of(int? adapterNode, IReadOnlyList<int> cpus, IReadOnlyDictionary<int, int> cpuNodes)
    {
        if (cpuNodes.Count == 0 || cpus.Count == 0 || cpus.Any(c => !cpuNodes.ContainsKey(c)))
        {
            return (adapterNode, null, null);
        }
        var nodes = cpus.Select(c => cpuNodes[c]).Distinct().OrderBy(n => n).ToArray();
        return (adapterNode, nodes, adapterNode is { } node ? nodes.Any(n => n != node) : null);
    }
}
