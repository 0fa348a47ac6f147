using System;
using System.IO;
using System.Text;

namespace GoNetTools.Foundation.Files;

/// <summary>
/// Whole-file replacement that a crash cannot leave half-written: a temp file created exclusively (O_EXCL, so no
/// link is followed) in the same folder, flushed, given the old file's mode and owner, then renamed over it.
/// Text goes through Latin-1 so the bytes written are exactly the bytes given (sysctl files are ASCII).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/>. A new file gets <paramref name="newFileMode"/> (e.g. 0600 for backups).</summary>
    public static void Write(string path, string content, UnixFileMode newFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        Write(path, Encoding.Latin1.GetBytes(content), newFileMode);

    /// <summary>Replaces <paramref name="path"/> with exactly <paramref name="content"/>.</summary>
    public static void Write(string path, byte[] content, UnixFileMode newFileMode)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var old = OperatingSystem.IsWindows() ? default : PosixFiles.Stat(full, followLinks: false);
        var keep = old.Kind == FileKind.Regular;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = keep ? (UnixFileMode)old.Mode & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup) : newFileMode;
            }
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
                if (!OperatingSystem.IsWindows())
                {
                    // The create mode went through the umask: set it exactly, on the descriptor (the name could be swapped
                    // in a folder someone else may write).
                    File.SetUnixFileMode(stream.SafeFileHandle, keep ? (UnixFileMode)(old.Mode & 0x1FF) : newFileMode);
                }
            }
            if (!OperatingSystem.IsWindows())
            {
                // Give the file back to its owner (lchown: never through a link).
                if (keep && PosixFiles.Chown(temp, old.Owner, PosixFiles.Group(full)) != 0 && PosixFiles.EffectiveUserId() == 0)
                {
                    throw new IOException($"Cannot give '{temp}' the owner of '{full}': {PosixFiles.LastError()}");
                }
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The file's bytes as Latin-1 text (byte for byte), or null when it does not exist.</summary>
    public static string? ReadText(string path) => File.Exists(path) ? Encoding.Latin1.GetString(File.ReadAllBytes(path)) : null;
}
