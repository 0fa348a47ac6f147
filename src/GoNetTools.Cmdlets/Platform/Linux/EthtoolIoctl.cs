using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// SIOCETHTOOL on an AF_INET datagram socket, made in the calling thread's network namespace. Layouts are
/// include/uapi/linux/ethtool.h; every field is native-endian u32 unless noted.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class EthtoolIoctl : IEthtool
{
    private const uint SIOCETHTOOL = 0x8946;
    private const int AF_INET = 2;
    private const uint GDRVINFO = 0x03, GSTRINGS = 0x1b, GSTATS = 0x1d, GSSET_INFO = 0x37, GRXFHINDIR = 0x38, GCHANNELS = 0x3c, GLINKSETTINGS = 0x4c;
    private const int ETH_SS_STATS = 1;
    private const int ETH_GSTRING_LEN = 32;
    private const int IFNAMSIZ = 16;

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(SafeFdHandle fd, nuint request, byte* argument);

    public EthtoolDriverInfo? DriverInfo(string ifname)
    {
        // struct ethtool_drvinfo: cmd, driver[32], version[32], fw_version[32], bus_info[32], erom_version[32], reserved2[12], 5 x u32.
        var buffer = Request(GDRVINFO, 196);
        if (!Call(ifname, buffer))
        {
            return null;
        }
        return new EthtoolDriverInfo(Text(buffer, 4, 32), Blank(Text(buffer, 36, 32)), Blank(Text(buffer, 68, 32)), Blank(Text(buffer, 100, 32)));
    }

    public EthtoolChannels? Channels(string ifname)
    {
        var buffer = Request(GCHANNELS, 36);
        if (!Call(ifname, buffer))
        {
            return null;
        }
        int U(int i) => (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4 + 4 * i));
        return new EthtoolChannels(U(0), U(1), U(2), U(3), U(4), U(5), U(6), U(7));
    }

    public EthtoolLink? Link(string ifname)
    {
        // Handshake: ask with link_mode_masks_nwords = 0, the kernel answers with -nwords; ask again with nwords.
        const int Header = 48;
        var probe = Request(GLINKSETTINGS, Header);
        if (!Call(ifname, probe))
        {
            return null;
        }
        var nwords = -(sbyte)probe[15];
        if (nwords <= 0)
        {
            return null;
        }
        var buffer = Request(GLINKSETTINGS, Header + 3 * 4 * nwords);
        buffer[15] = (byte)nwords;
        if (!Call(ifname, buffer))
        {
            return null;
        }
        var speed = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4));
        var duplex = buffer[8] switch { 0 => NicDuplex.Half, 1 => NicDuplex.Full, _ => NicDuplex.Unknown };
        return new EthtoolLink(speed is 0 or 0xFFFFFFFF ? null : speed, duplex);
    }

    public int[]? Indirection(string ifname)
    {
        var probe = Request(GRXFHINDIR, 8);
        if (!Call(ifname, probe))
        {
            return null;
        }
        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(probe.AsSpan(4));
        if (size <= 0)
        {
            return null;
        }
        var buffer = Request(GRXFHINDIR, 8 + 4 * size);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), (uint)size);
        if (!Call(ifname, buffer))
        {
            return null;
        }
        var table = new int[size];
        for (var i = 0; i < size; i++)
        {
            table[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8 + 4 * i));
        }
        return table;
    }

    public IReadOnlyList<KeyValuePair<string, ulong>>? Statistics(string ifname)
    {
        // struct ethtool_sset_info: cmd, reserved, u64 sset_mask, u32 data[] (one count per set bit).
        var info = Request(GSSET_INFO, 20);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(8), 1UL << ETH_SS_STATS);
        if (!Call(ifname, info) || (BinaryPrimitives.ReadUInt64LittleEndian(info.AsSpan(8)) & (1UL << ETH_SS_STATS)) == 0)
        {
            return null;
        }
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(16));
        if (count <= 0)
        {
            return Array.Empty<KeyValuePair<string, ulong>>();
        }
        var names = Request(GSTRINGS, 12 + ETH_GSTRING_LEN * count);
        BinaryPrimitives.WriteUInt32LittleEndian(names.AsSpan(4), ETH_SS_STATS);
        BinaryPrimitives.WriteUInt32LittleEndian(names.AsSpan(8), (uint)count);
        var values = Request(GSTATS, 8 + 8 * count);
        BinaryPrimitives.WriteUInt32LittleEndian(values.AsSpan(4), (uint)count);
        if (!Call(ifname, names) || !Call(ifname, values))
        {
            return null;
        }
        var n = Math.Min(count, (int)BinaryPrimitives.ReadUInt32LittleEndian(values.AsSpan(4)));
        var result = new List<KeyValuePair<string, ulong>>(n);
        for (var i = 0; i < n; i++)
        {
            result.Add(new(Text(names, 12 + ETH_GSTRING_LEN * i, ETH_GSTRING_LEN), BinaryPrimitives.ReadUInt64LittleEndian(values.AsSpan(8 + 8 * i))));
        }
        return result;
    }

    private static byte[] Request(uint command, int size)
    {
        var buffer = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, command);
        return buffer;
    }

    /// <summary>
    /// One SIOCETHTOOL call. False when the driver does not support the command (EOPNOTSUPP), the device is gone,
    /// or the call is refused: the caller reports "not available", never a failure of the whole listing.
    /// </summary>
    private static bool Call(string ifname, byte[] data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(ifname);
        if (nameBytes.Length >= IFNAMSIZ)
        {
            return false;
        }
        var fd = LinuxNative.socket(AF_INET, LinuxNative.SOCK_DGRAM | LinuxNative.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }
        using var handle = new SafeFdHandle(fd);
        // struct ifreq: char ifr_name[16], then the union whose ifr_data pointer SIOCETHTOOL reads; 40 bytes in all.
        byte* ifreq = stackalloc byte[40];
        new Span<byte>(ifreq, 40).Clear();
        nameBytes.CopyTo(new Span<byte>(ifreq, IFNAMSIZ));
        fixed (byte* payload = data)
        {
            *(byte**)(ifreq + IFNAMSIZ) = payload;
            if (ioctl(handle, SIOCETHTOOL, ifreq) == 0)
            {
                return true;
            }
        }
        // EOPNOTSUPP (the driver lacks the op) is the common case; ENODEV/EPERM mean the same to callers: no answer.
        return false;
    }

    private static string Text(byte[] buffer, int offset, int length)
    {
        var span = buffer.AsSpan(offset, length);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]).Trim();
    }

    private static string? Blank(string value) => value.Length == 0 || value == "N/A" ? null : value;
}
