using System.IO;
using System.Runtime.Versioning;

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

    private static string? NameOf(string selfLink)
    {
        const string NetnsDir = "/run/netns";
        var inode = LinuxNative.Inode(selfLink);
        if (inode is null || !Directory.Exists(NetnsDir))
        {
            return null;
        }
        foreach (var file in Directory.EnumerateFiles(NetnsDir))
        {
            if (LinuxNative.Inode(file) == inode)
            {
                return Path.GetFileName(file);
            }
        }
        return null;
    }
}
