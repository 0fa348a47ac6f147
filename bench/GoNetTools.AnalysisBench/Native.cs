using System.Runtime.InteropServices;

namespace GoNetTools.AnalysisBench;

internal static class Native
{
    private const int RUSAGE_CHILDREN = -1;

    /// <summary>Largest peak RSS among waited-for children, in KB (Linux ru_maxrss).</summary>
    public static long ChildrenMaxRssKb()
    {
        var usage = new long[18];
        return getrusage(RUSAGE_CHILDREN, usage) == 0 ? usage[4] : 0; // ru_maxrss follows two timevals
    }

    /// <summary>User + system CPU seconds of waited-for children.</summary>
    public static double ChildrenCpuSeconds()
    {
        var usage = new long[18];
        return getrusage(RUSAGE_CHILDREN, usage) == 0 ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6 : 0;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, long[] usage);
}
