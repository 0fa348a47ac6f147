using System.IO;
using System.Runtime.Versioning;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Names the network namespace this process reads: every net.* sysctl and /proc/net file is per namespace.
/// "net:[4026531840]", with the `ip netns` name when /run/netns holds a bind mount of the same inode.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NetworkNamespace
{
    public static string Describe(string systemRoot)
    {
        var link = Path.Combine(systemRoot, "proc", "self", "ns", "net");
        string? target;
        try
        {
            target = new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            target = null;
        }
        if (target is null)
        {
            return systemRoot == "/" ? "net:[unknown]" : $"fixture {systemRoot}";
        }
        var name = NameOf(link);
        return name is null ? target : $"{target} ({name})";
    }

    /// <summary>
    /// SO_NETNS_COOKIE (Linux 5.14+) of a socket made here: a 64-bit id the kernel never hands to another namespace
    /// during this boot, so it tells apart two namespaces that got the same inode one after the other. Null when the
    /// kernel does not have it.
    /// </summary>
    public static ulong? Cookie()
    {
        const int SolSocket = 1;
        const int SoNetnsCookie = 71;
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
                System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            var value = new byte[8];
            return socket.GetRawSocketOption(SolSocket, SoNetnsCookie, value) == 8 ? System.BitConverter.ToUInt64(value) : null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    private static ulong? Inode(string path) =>
        Foundation.Files.PosixFiles.Stat(path, followLinks: true) is { Kind: not Foundation.Files.FileKind.Missing } facts ? facts.Inode : null;

    private static string? NameOf(string selfLink)
    {
        const string NetnsDir = "/run/netns";
        var inode = Inode(selfLink);
        if (inode is null || !Directory.Exists(NetnsDir))
        {
            return null;
        }
        foreach (var file in Directory.EnumerateFiles(NetnsDir))
        {
            if (Inode(file) == inode)
            {
                return Path.GetFileName(file);
            }
        }
        return null;
    }
}
