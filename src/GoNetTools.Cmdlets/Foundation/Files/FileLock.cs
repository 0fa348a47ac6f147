using System;
using System.IO;
using System.Threading;

namespace GoNetTools.Foundation.Files;

/// <summary>
/// An exclusive advisory lock (flock) on a lock file, so two GoNetTools processes never read-modify-write the same
/// file at once. Taken with LOCK_NB in a loop so a wait can be cancelled and times out with a clear error.
/// On Windows the lock is an exclusive open of the lock file.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits up to <paramref name="timeout"/> for the lock on <paramref name="lockPath"/> (made 0600 in a 0700 folder).</summary>
    public static FileLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancel = default)
    {
        PrivateDirectory.EnsureOwned(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stream = Open(lockPath);
            if (stream is not null)
            {
                return new FileLock(stream);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new GoNetToolsException(ErrorIds.TuningLockTimeout, FailureKind.OperationTimeout,
                    $"Another GoNetTools command held '{lockPath}' for more than {timeout.TotalSeconds:0} s.",
                    "Wait for the other Set-TcpTuning/Undo-TcpTuning to finish, then run again.");
            }
            if (cancel.WaitHandle.WaitOne(50))
            {
                throw new OperationCanceledException(cancel);
            }
        }
    }

    /// <summary>
    /// FileShare.None makes .NET itself take flock(LOCK_EX|LOCK_NB) on Unix (and an exclusive open on Windows); a
    /// held lock shows as an IOException. The explicit flock keeps the lock when .NET's is switched off
    /// (DOTNET_SYSTEM_IO_DISABLEFILELOCKING).
    /// </summary>
    private static FileStream? Open(string lockPath)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, options);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return null;
        }
        if (OperatingSystem.IsWindows()
            || PosixFiles.Flock((int)stream.SafeFileHandle.DangerousGetHandle(), PosixFiles.LOCK_EX | PosixFiles.LOCK_NB) == 0)
        {
            return stream;
        }
        stream.Dispose();
        return null;
    }

    /// <summary>Closing the descriptor releases the flock.</summary>
    public void Dispose() => _stream.Dispose();
}
