using System;
using System.Runtime.InteropServices;

namespace GoNetTools.Foundation.Files;

/// <summary>What a path is, without opening it (opening a FIFO blocks until a writer comes).</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    SymbolicLink,
    Other,
}

/// <summary>The facts about a path that decide whether we may trust it: kind, owner, permission bits, inode.</summary>
internal readonly record struct FileFacts(FileKind Kind, uint Owner, int Mode, ulong Inode, int Errno = 0)
{
    /// <summary>The path could not be looked at for lack of permission (EACCES on a folder on the way).</summary>
    public bool AccessDenied => Kind == FileKind.Missing && Errno is 1 or 13;

    /// <summary>Group or others may write (mode &amp; 022).</summary>
    public bool WritableByOthers => (Mode & 0x12) != 0;

    /// <summary>Group or others have any access (mode &amp; 077).</summary>
    public bool OpenToOthers => (Mode & 0x3F) != 0;

    /// <summary>"a FIFO (named pipe)", "a directory"… for messages.</summary>
    public string Describe() => Kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        _ => "not a regular file",
    };
}

/// <summary>
/// The libc calls the file-safety code needs, on Linux and macOS: stat without opening, mkdir/mkdtemp that fail
/// rather than reuse what exists, flock, chown, open with O_NONBLOCK. Linux uses statx (one struct layout on every
/// architecture); macOS uses its 64-bit-inode stat. Windows has none of this and never calls here.
/// </summary>
internal static unsafe class PosixFiles
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
    public const int EEXIST = 17;

    /// <summary>Facts about <paramref name="path"/>; <paramref name="followLinks"/> false reports a symlink itself.</summary>
    public static FileFacts Stat(string path, bool followLinks)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }
        byte* buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        int result;
        if (OperatingSystem.IsLinux())
        {
            result = statx(AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer);
            return result != 0 ? Missing() : Linux(buffer);
        }
        result = RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? (followLinks ? mac_stat_x64(path, buffer) : mac_lstat_x64(path, buffer))
            : (followLinks ? mac_stat(path, buffer) : mac_lstat(path, buffer));
        return result != 0 ? Missing() : Mac(buffer);
    }

    /// <summary>Facts about an open descriptor (what was actually opened, not what the path names now).</summary>
    public static FileFacts Stat(int fd)
    {
        byte* buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        if (OperatingSystem.IsLinux())
        {
            return statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, buffer) != 0 ? Missing() : Linux(buffer);
        }
        var result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? mac_fstat_x64(fd, buffer) : mac_fstat(fd, buffer);
        return result != 0 ? Missing() : Mac(buffer);
    }

    /// <summary>Opens for reading with O_NONBLOCK (a FIFO cannot block the open) and O_CLOEXEC; -1 and errno on failure.</summary>
    public static int OpenReadNonBlocking(string path) =>
        open(path, OperatingSystem.IsLinux() ? 0x800 | 0x80000 : 0x4 | 0x1000000, 0);

    /// <summary>mkdir with <paramref name="mode"/>: fails with EEXIST instead of accepting what is there.</summary>
    public static int MakeDirectory(string path, int mode) => mkdir(path, (uint)mode);

    /// <summary>mkdtemp: a new directory, mode 0700, with a random suffix in place of the trailing XXXXXX.</summary>
    public static string? MakeTempDirectory(string template)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(template + "\0");
        fixed (byte* p = bytes)
        {
            var result = mkdtemp(p);
            return result == null ? null : System.Text.Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
        }
    }

    public static int Flock(int fd, int operation) => flock(fd, operation);

    public static int Chown(string path, uint owner, uint group) => lchown(path, owner, group);

    public static int Chmod(string path, int mode) => chmod(path, (uint)mode);

    public static uint EffectiveUserId() => geteuid();

    public static int Close(int fd) => close(fd);

    /// <summary>errno of the last call as text.</summary>
    public static string LastError()
    {
        var errno = Marshal.GetLastPInvokeError();
        return $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
    }

    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>The owning group of a path (for keeping it when a file is replaced).</summary>
    public static uint Group(string path)
    {
        byte* buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        if (OperatingSystem.IsLinux())
        {
            return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) == 0 ? *(uint*)(buffer + 24) : 0;
        }
        var result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? mac_lstat_x64(path, buffer) : mac_lstat(path, buffer);
        return result == 0 ? *(uint*)(buffer + 20) : 0;
    }

    private static FileFacts Missing() => new(FileKind.Missing, 0, 0, 0, Marshal.GetLastPInvokeError());

    // struct statx: stx_uid @20, stx_mode (u16) @28, stx_ino @32.
    private static FileFacts Linux(byte* b) => new(KindOf(*(ushort*)(b + 28)), *(uint*)(b + 20), *(ushort*)(b + 28) & 0xFFF, *(ulong*)(b + 32));

    // macOS struct stat (64-bit inodes): st_mode (u16) @4, st_ino @8, st_uid @16.
    private static FileFacts Mac(byte* b) => new(KindOf(*(ushort*)(b + 4)), *(uint*)(b + 16), *(ushort*)(b + 4) & 0xFFF, *(ulong*)(b + 8));

    /// <summary>S_IFMT bits, the same on Linux and macOS.</summary>
    private static FileKind KindOf(int mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xA000 => FileKind.SymbolicLink,
        _ => FileKind.Other,
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "stat")]
    private static extern int mac_stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "lstat")]
    private static extern int mac_lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "fstat")]
    private static extern int mac_fstat(int fd, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "stat$INODE64")]
    private static extern int mac_stat_x64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "lstat$INODE64")]
    private static extern int mac_lstat_x64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "fstat$INODE64")]
    private static extern int mac_fstat_x64(int fd, byte* buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern byte* mkdtemp(byte* template);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int chmod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc")]
    private static extern uint geteuid();
}
