using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace GoNetTools.Foundation.Files;

/// <summary>
/// Opening files we are given (captures, backups, go.mod) without trusting what the path is: a FIFO, socket,
/// device or directory is refused with NotARegularFile before any open that could block, and the open itself uses
/// O_NONBLOCK and checks what it got (the path may have been swapped in between).
/// </summary>
internal static class RegularFile
{
    /// <summary>Throws NotARegularFile (or the not-found/permission error the caller maps) unless <paramref name="path"/> is a regular file.</summary>
    public static void Check(string path)
    {
        var facts = Facts(path);
        if (facts.AccessDenied)
        {
            throw new UnauthorizedAccessException($"Access to '{path}' is denied (a folder on the way is not readable).");
        }
        if (facts.Kind == FileKind.Missing)
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }
        if (facts.Kind != FileKind.Regular)
        {
            throw NotRegular(path, facts);
        }
    }

    /// <summary>Opens a regular file for reading; never blocks on a FIFO or device.</summary>
    public static FileStream OpenRead(string path, int bufferSize = 1, FileOptions options = FileOptions.None)
    {
        Check(path);
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize, options);
        }
        var fd = PosixFiles.OpenReadNonBlocking(path);
        if (fd < 0)
        {
            var errno = PosixFiles.LastErrno;
            var message = $"Cannot open '{path}': {PosixFiles.LastError()}";
            throw errno switch
            {
                1 or 13 => new UnauthorizedAccessException(message),
                2 => new FileNotFoundException(message, path),
                _ => new IOException(message),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var opened = PosixFiles.Stat(fd);
        if (opened.Kind != FileKind.Regular)
        {
            handle.Dispose();
            throw NotRegular(path, opened);
        }
        return new FileStream(handle, FileAccess.Read, bufferSize);
    }

    /// <summary>The whole file as text, refusing files larger than <paramref name="maxBytes"/> (untrusted input).</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        using var stream = OpenRead(path, 4096);
        if (stream.Length > maxBytes)
        {
            throw new GoNetToolsException(ErrorIds.NotARegularFile, FailureKind.InvalidData,
                $"'{path}' is {stream.Length:N0} bytes; no file GoNetTools reads here is larger than {maxBytes:N0} bytes.",
                "Check that the path names the file you meant.");
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>What the path is; on Windows only "directory" or "regular/missing" can be told apart.</summary>
    public static FileFacts Facts(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) ? new FileFacts(FileKind.Directory, 0, 0, 0)
                : path.StartsWith(@"\\.\", StringComparison.Ordinal) ? new FileFacts(FileKind.CharacterDevice, 0, 0, 0)
                : File.Exists(path) ? new FileFacts(FileKind.Regular, 0, 0, 0)
                : new FileFacts(FileKind.Missing, 0, 0, 0);
        }
        return PosixFiles.Stat(path, followLinks: true);
    }

    private static GoNetToolsException NotRegular(string path, FileFacts facts) =>
        new(ErrorIds.NotARegularFile, FailureKind.InvalidArgument,
            $"'{path}' is {facts.Describe()}, not a regular file; it was not opened (reading it could block or mean something else).",
            facts.Kind == FileKind.Directory ? "Name a file inside the folder, or use a wildcard such as *.pcap." : "Give the path of a regular file.");
}
