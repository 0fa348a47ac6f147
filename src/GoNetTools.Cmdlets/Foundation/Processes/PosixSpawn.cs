using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace GoNetTools.Foundation.Processes;

/// <summary>
/// posix_spawn with the child in a process group of its own (POSIX_SPAWN_SETPGROUP, pgid = its pid), every signal
/// back to its default and an empty signal mask (.NET ignores SIGPIPE; an ignored disposition would survive exec),
/// stdin from /dev/null (or a pipe whose write end stays with us) and stdout/stderr into pipes whose read ends stay with us. Killing the group reaches every
/// process the child started (go build's compile, asm, link, cgo's gcc) without walking the process tree, and the
/// terminal's Ctrl+C never reaches them: only our cancellation stops them. Linux (glibc, musl) and macOS.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static unsafe class PosixSpawn
{
    private const short SetProcessGroup = 0x02, SetSignalDefault = 0x04, SetSignalMask = 0x08; // spawn.h, same on Linux and macOS
    private const int ReadOnly = 0, CloseOnExecLinux = 0x80000, FdCloexec = 1, FSetFd = 2;
    private const int SigKill = 9, Eintr = 4, Esrch = 3;
    private const int PPid = 1, WExited = 4;
    // The opaque spawn structures are 80 and 336 bytes on glibc x86_64/arm64, pointers on macOS: 1 KiB holds either.
    private const int OpaqueSize = 1024;

    /// <summary>
    /// Starts <paramref name="path"/> (absolute); returns its pid, the write end of its stdin pipe (-1 unless
    /// <paramref name="stdinPipe"/>: stdin is /dev/null) and the read ends of its stdout and stderr pipes.
    /// </summary>
    public static (int Pid, int Stdin, int Stdout, int Stderr) Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string? workingDirectory,
        bool stdinPipe = false)
    {
        (int Read, int Write) stdin = (-1, -1), stdout = (-1, -1), stderr = (-1, -1);
        var actions = Marshal.AllocHGlobal(OpaqueSize);
        var attributes = Marshal.AllocHGlobal(OpaqueSize);
        var signals = Marshal.AllocHGlobal(256);
        new Span<byte>((void*)actions, OpaqueSize).Clear(); // destroy on a structure never initialised must see zeros
        new Span<byte>((void*)attributes, OpaqueSize).Clear();
        var strings = new List<IntPtr>();
        try
        {
            stdin = stdinPipe ? Pipe() : (-1, -1);
            stdout = Pipe();
            stderr = Pipe();
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(stdinPipe ? posix_spawn_file_actions_adddup2(actions, stdin.Read, 0) : posix_spawn_file_actions_addopen(actions, 0, "/dev/null", ReadOnly, 0),
                stdinPipe ? "adddup2" : "addopen");
            Check(posix_spawn_file_actions_adddup2(actions, stdout.Write, 1), "adddup2");
            Check(posix_spawn_file_actions_adddup2(actions, stderr.Write, 2), "adddup2");
            if (workingDirectory is not null)
            {
                Check(posix_spawn_file_actions_addchdir_np(actions, workingDirectory), "addchdir");
            }
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            Check(posix_spawnattr_setflags(attributes, SetProcessGroup | SetSignalDefault | SetSignalMask), "setflags");
            Check(posix_spawnattr_setpgroup(attributes, 0), "setpgroup");
            sigemptyset(signals);
            Check(posix_spawnattr_setsigmask(attributes, signals), "setsigmask");
            sigfillset(signals);
            Check(posix_spawnattr_setsigdefault(attributes, signals), "setsigdefault");
            var argvArray = Strings(argv, strings);
            var envArray = Strings(envp, strings);
            var error = posix_spawn(out var pid, path, actions, attributes, argvArray, envArray);
            if (error != 0)
            {
                throw new Win32Exception(error, $"Cannot start '{path}': {Marshal.GetPInvokeErrorMessage(error)}");
            }
            if (stdinPipe)
            {
                close(stdin.Read);
            }
            close(stdout.Write);
            close(stderr.Write);
            return (pid, stdin.Write, stdout.Read, stderr.Read);
        }
        catch
        {
            foreach (var fd in new[] { stdin.Read, stdin.Write, stdout.Read, stdout.Write, stderr.Read, stderr.Write })
            {
                if (fd >= 0)
                {
                    close(fd);
                }
            }
            throw;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attributes);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
            strings.ForEach(Marshal.FreeCoTaskMem);
        }
    }

    /// <summary>Blocks until <paramref name="pid"/> has exited, leaving it unreaped (a zombie keeps its pid and group id ours).</summary>
    public static void WaitExitedNoReap(int pid)
    {
        var info = stackalloc byte[256];
        var options = WExited | (OperatingSystem.IsMacOS() ? 0x20 : 0x01000000); // WNOWAIT
        while (waitid(PPid, (uint)pid, info, options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                return; // ECHILD: already reaped, nothing to wait for
            }
        }
    }

    /// <summary>Reaps <paramref name="pid"/>; its exit code, or 128 + signal when a signal ended it.</summary>
    public static int Reap(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Eintr)
            {
                return -1;
            }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    /// <summary>SIGKILL to every process in group <paramref name="pgid"/>; false when none is left.</summary>
    public static bool KillGroup(int pgid) => kill(-pgid, SigKill) == 0 || Marshal.GetLastPInvokeError() != Esrch;

    /// <summary>True while any process is in group <paramref name="pgid"/> (signal 0 probes without sending).</summary>
    public static bool GroupAlive(int pgid) => kill(-pgid, 0) == 0 || Marshal.GetLastPInvokeError() != Esrch;

    private static (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (OperatingSystem.IsLinux())
        {
            if (pipe2(fds, CloseOnExecLinux) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "pipe2 failed");
            }
        }
        else
        {
            if (pipe(fds) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "pipe failed");
            }
            fcntl(fds[0], FSetFd, FdCloexec);
            fcntl(fds[1], FSetFd, FdCloexec);
        }
        return (fds[0], fds[1]);
    }

    private static IntPtr[] Strings(IReadOnlyList<string> values, List<IntPtr> owned)
    {
        var array = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(array[i]);
        }
        return array;
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new Win32Exception(error, $"{what} failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_spawn(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr actions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);
    [DllImport("libc")] private static extern int posix_spawn_file_actions_init(IntPtr actions);
    [DllImport("libc")] private static extern int posix_spawn_file_actions_destroy(IntPtr actions);
    [DllImport("libc")] private static extern int posix_spawn_file_actions_adddup2(IntPtr actions, int fd, int newFd);
    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addopen(IntPtr actions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addchdir_np(IntPtr actions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);
    [DllImport("libc")] private static extern int posix_spawnattr_init(IntPtr attributes);
    [DllImport("libc")] private static extern int posix_spawnattr_destroy(IntPtr attributes);
    [DllImport("libc")] private static extern int posix_spawnattr_setflags(IntPtr attributes, short flags);
    [DllImport("libc")] private static extern int posix_spawnattr_setpgroup(IntPtr attributes, int pgroup);
    [DllImport("libc")] private static extern int posix_spawnattr_setsigmask(IntPtr attributes, IntPtr set);
    [DllImport("libc")] private static extern int posix_spawnattr_setsigdefault(IntPtr attributes, IntPtr set);
    [DllImport("libc")] private static extern int sigemptyset(IntPtr set);
    [DllImport("libc")] private static extern int sigfillset(IntPtr set);
    [DllImport("libc", SetLastError = true)] private static extern int pipe2(int* fds, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int pipe(int* fds);
    [DllImport("libc", SetLastError = true)] private static extern int fcntl(int fd, int command, int argument);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);
    [DllImport("libc", SetLastError = true)] private static extern int waitid(int idType, uint id, byte* info, int options);
    [DllImport("libc", SetLastError = true)] private static extern int waitpid(int pid, int* status, int options);
}
