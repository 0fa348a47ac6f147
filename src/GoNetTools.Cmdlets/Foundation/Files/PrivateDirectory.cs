using System;
using System.IO;

namespace GoNetTools.Foundation.Files;

/// <summary>
/// The one way GoNetTools makes temporary and runtime files (the lab's CA, Measure-GoModDownload's go workspace and
/// capture). Each use gets a directory of its own, made atomically with a random name and mode 0700 (mkdtemp), under
/// a per-user base: /run/gonettools for root, $XDG_RUNTIME_DIR/gonettools for other users when that directory is
/// theirs alone, else the temp folder (mkdtemp is safe there too). Files inside are created exclusively (O_EXCL: an
/// existing name, link or not, fails instead of being followed). Dispose removes the directory; every caller
/// disposes on its failure paths too. Nothing predictable is ever created in a shared folder.
/// </summary>
internal sealed class PrivateDirectory : IDisposable
{
    private const int PrivateMode = 0x1C0; // 0700

    private PrivateDirectory(string path) => Path = path;

    /// <summary>The directory (absolute).</summary>
    public string Path { get; }

    /// <summary>
    /// A new private directory named "<paramref name="purpose"/>-XXXXXX". <paramref name="baseDirectory"/> overrides
    /// the per-user base (tests); it must be ours alone as well.
    /// </summary>
    /// <exception cref="GoNetToolsException">RuntimeDirectoryUnsafe when the base is not ours alone.</exception>
    public static PrivateDirectory Create(string purpose, string? baseDirectory = null)
    {
        if (OperatingSystem.IsWindows())
        {
            // %TEMP% is per user on Windows; the GUID name is unguessable and CreateDirectory fails on nothing that exists.
            var windowsPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gonettools-{purpose}-{Guid.NewGuid():N}");
            if (Directory.Exists(windowsPath) || File.Exists(windowsPath))
            {
                throw new IOException($"'{windowsPath}' already exists.");
            }
            Directory.CreateDirectory(windowsPath);
            return new PrivateDirectory(windowsPath);
        }
        var root = baseDirectory ?? Base();
        if (baseDirectory is not null)
        {
            EnsureOwned(root);
        }
        var made = PosixFiles.MakeTempDirectory(System.IO.Path.Combine(root, purpose + "-XXXXXX"))
            ?? throw new IOException($"Cannot make a private directory in '{root}': {PosixFiles.LastError()}");
        return new PrivateDirectory(made);
    }

    /// <summary>
    /// The per-user base: /run/gonettools when root (an inherited $XDG_RUNTIME_DIR under sudo belongs to someone
    /// else), $XDG_RUNTIME_DIR/gonettools when it is ours, else the temp folder itself (then only mkdtemp protects).
    /// </summary>
    public static string Base()
    {
        var uid = PosixFiles.EffectiveUserId();
        if (uid == 0 && Directory.Exists("/run"))
        {
            return EnsureOwned("/run/gonettools");
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (uid != 0 && !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg))
        {
            var facts = PosixFiles.Stat(xdg, followLinks: false);
            if (facts.Kind == FileKind.Directory && facts.Owner == uid && !facts.OpenToOthers)
            {
                return EnsureOwned(System.IO.Path.Combine(xdg, "gonettools"));
            }
        }
        return System.IO.Path.GetTempPath().TrimEnd('/');
    }

    /// <summary>
    /// Makes <paramref name="path"/> a directory of ours with mode 0700 (mkdir, never following a link), or checks
    /// that the one there is: a real directory, owned by us, closed to others. Returns the path.
    /// </summary>
    /// <exception cref="GoNetToolsException">RuntimeDirectoryUnsafe naming what is wrong.</exception>
    public static string EnsureOwned(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        var parent = System.IO.Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent);
        }
        if (PosixFiles.MakeDirectory(path, PrivateMode) != 0 && PosixFiles.LastErrno != PosixFiles.EEXIST)
        {
            throw new IOException($"Cannot make '{path}': {PosixFiles.LastError()}");
        }
        var facts = PosixFiles.Stat(path, followLinks: false);
        var uid = PosixFiles.EffectiveUserId();
        var problem = facts.Kind != FileKind.Directory ? $"it is {facts.Describe()}, not a directory"
            : facts.Owner != uid ? $"it belongs to uid {facts.Owner}, not to us (uid {uid})"
            : facts.OpenToOthers && PosixFiles.Chmod(path, PrivateMode) != 0 ? $"its mode is {Convert.ToString(facts.Mode, 8)} and cannot be made 0700"
            : null;
        if (problem is not null)
        {
            throw new GoNetToolsException(ErrorIds.RuntimeDirectoryUnsafe, FailureKind.PermissionDenied,
                $"GoNetTools will not keep files in '{path}': {problem}. Another user could read or replace what it writes there.",
                $"Remove '{path}' (it is recreated with mode 0700), or run as the user who owns it.");
        }
        return path;
    }

    /// <summary>Creates <paramref name="name"/> in this directory exclusively (mode 0600) and opens it for writing.</summary>
    public FileStream CreateFile(string name)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(PathOf(name), options);
    }

    /// <summary>A path inside this directory (the name must be a plain file name).</summary>
    public string PathOf(string name) =>
        name.Length > 0 && name == System.IO.Path.GetFileName(name) && name != ".." ? System.IO.Path.Combine(Path, name)
            : throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));

    /// <summary>Removes the directory and everything in it (best effort: a failure here must not hide the real error).</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the OS: /run is a tmpfs cleared at boot.
        }
    }
}
