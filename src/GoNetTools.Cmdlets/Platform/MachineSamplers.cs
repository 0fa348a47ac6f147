using System;
using System.IO;

namespace GoNetTools.Platform;

/// <summary>What every OS's sampler reads the same way.</summary>
internal static class MachineSamplers
{
    /// <summary>RetransSegs through the OS's TCP counter source (the one Get-TcpStatistic reads); null when it cannot be read.</summary>
    public static long? Retransmits(ITcpStateSource tcp)
    {
        try
        {
            return tcp.ToStatistic(tcp.ReadCounters(_ => { }), DateTime.Now, null, null).RetransSegs;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GoNetToolsException or InvalidOperationException)
        {
            return null;
        }
    }
}
