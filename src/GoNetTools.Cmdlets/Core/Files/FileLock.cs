using System;
using System.IO;
using System.Threading;

namespace GoNetTools.Core.Files;

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

    private static FileStream? Open(string lockPath)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite };
        if (OperatingSystem.IsWindows())
        {
            options.Share = FileShare.None;
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException)
            {
                return null;
            }
        }
        options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(lockPath, options);
        if (PosixFiles.Flock((int)stream.SafeFileHandle.DangerousGetHandle(), PosixFiles.LOCK_EX | PosixFiles.LOCK_NB) == 0)
        {
            return stream;
        }
        stream.Dispose();
        return null;
    }

    /// <summary>Closing the descriptor releases the flock.</summary>
    public void Dispose() => _stream.Dispose();
}
