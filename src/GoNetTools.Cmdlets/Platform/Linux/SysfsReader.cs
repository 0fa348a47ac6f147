using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace GoNetTools.Platform.Linux;

/// <summary>Small, forgiving reads of sysfs/procfs attributes: a file that cannot be read (EINVAL on a down link's speed) is null.</summary>
internal static class SysfsReader
{
    public static string? Text(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static long? Number(string path)
    {
        var text = Text(path);
        if (text is null)
        {
            return null;
        }
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The canonical path with every symlink resolved (realpath(3)), or null when it does not exist.</summary>
    [SupportedOSPlatform("linux")]
    public static unsafe string? RealPath(string path)
    {
        byte* resolved = stackalloc byte[4096];
        return realpath(path, resolved) == null ? null : Marshal.PtrToStringUTF8((nint)resolved);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe byte* realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* resolved);
}
