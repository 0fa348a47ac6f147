using System;
using System.IO;

namespace GoNetTools.Foundation.Files;

/// <summary>
/// Files a user asks us to write (an HTML report, a metrics file a scraper reads): created or replaced whole with
/// <see cref="AtomicFile"/> (a temp file in the same folder, then a rename), so a reader never sees half a file and
/// nothing is ever written through a link. Refused before anything is written: a folder that is missing, or that
/// others may write without the sticky bit (they could swap the file under its reader); a name that is a link, FIFO,
/// device or folder (NotARegularFile); an existing file without -Force; in a shared sticky folder, a file that
/// belongs to someone else.
/// </summary>
internal static class OutputFile
{
    /// <summary>rw-r--r--: node_exporter runs as its own user and must read the metrics file.</summary>
    public const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int OthersWrite = 0x2;
    private const int Sticky = 0x200;

    /// <summary>Checks <paramref name="path"/> (absolute) as described above; throws GoNetToolsException naming what is wrong.</summary>
    public static void Check(string path, bool force)
    {
        var directory = Path.GetDirectoryName(path) ?? path;
        if (!Directory.Exists(directory))
        {
            throw new GoNetToolsException(ErrorIds.OutputDirectoryNotFound, FailureKind.ObjectNotFound,
                $"The folder '{directory}' does not exist.", "Create the folder first, or give a path in a folder that exists.");
        }
        if (OperatingSystem.IsWindows())
        {
            if (File.Exists(path) && !force)
            {
                throw Exists(path);
            }
            return;
        }
        var folder = PosixFiles.Stat(directory, followLinks: true);
        var shared = (folder.Mode & OthersWrite) != 0;
        if (shared && (folder.Mode & Sticky) == 0)
        {
            throw new GoNetToolsException(ErrorIds.OutputPathUnsafe, FailureKind.PermissionDenied,
                $"'{directory}' may be written by every user and has no sticky bit: anyone could replace '{Path.GetFileName(path)}' before it is read.",
                "Write to a folder that only you (or root) can write, such as node_exporter's textfile directory.");
        }
        var target = PosixFiles.Stat(path, followLinks: false);
        if (target.Kind == FileKind.Missing)
        {
            return;
        }
        if (target.Kind != FileKind.Regular)
        {
            throw new GoNetToolsException(ErrorIds.NotARegularFile, FailureKind.InvalidArgument,
                $"'{path}' is {target.Describe()}, not a regular file; nothing was written (a link would be written through, a FIFO could block).",
                "Remove it or choose another name.");
        }
        if (!force)
        {
            throw Exists(path);
        }
        var uid = PosixFiles.EffectiveUserId();
        if (shared && target.Owner != uid)
        {
            throw new GoNetToolsException(ErrorIds.OutputPathUnsafe, FailureKind.PermissionDenied,
                $"'{path}' belongs to uid {target.Owner}, not to us (uid {uid}), in a folder every user may write; it was not replaced.",
                "Choose another name, or a folder that only you (or root) can write.");
        }
    }

    /// <summary>Checks, then writes <paramref name="content"/> atomically.</summary>
    public static void Write(string path, byte[] content, bool force)
    {
        Check(path, force);
        AtomicFile.Write(path, content, NewFileMode);
    }

    private static GoNetToolsException Exists(string path) =>
        new(ErrorIds.OutputFileExists, FailureKind.ResourceExists, $"'{path}' already exists.", "Add -Force to replace it (the replacement is atomic).");
}
