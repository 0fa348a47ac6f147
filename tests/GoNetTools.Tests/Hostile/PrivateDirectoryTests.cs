using System;
using System.IO;
using GoNetTools.Foundation.Files;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.Hostile;

/// <summary>The one private-directory mechanism: mkdtemp-style, 0700, ours, files exclusive, refused bases named.</summary>
public sealed class PrivateDirectoryTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("gnt-private-").FullName;

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [SkippableFact]
    public void A_private_directory_is_new_0700_ours_and_gone_after_dispose()
    {
        string path;
        using (var dir = PrivateDirectory.Create("lab", _base))
        {
            path = dir.Path;
            var facts = PosixFiles.Stat(path, followLinks: false);
            Assert.Equal((FileKind.Directory, Requires.EffectiveUid, 0x1C0), (facts.Kind, facts.Owner, facts.Mode));
            Assert.StartsWith(Path.Combine(_base, "lab-"), path, StringComparison.Ordinal);
            using (var file = dir.CreateFile("ca.pem"))
            {
                file.WriteByte(1);
            }
            Assert.Equal(0x180, PosixFiles.Stat(dir.PathOf("ca.pem"), followLinks: false).Mode);
            // Exclusive: a name that exists, even as a link, is never opened through.
            File.CreateSymbolicLink(dir.PathOf("link"), "/etc/hostname");
            Assert.Throws<IOException>(() => dir.CreateFile("link"));
            Assert.Throws<ArgumentException>(() => dir.PathOf("../escape"));
        }
        Assert.False(Directory.Exists(path));
        Assert.NotEqual(PrivateDirectory.Create("lab", _base).Path, path); // random names, never reused
    }

    [SkippableFact]
    [Trait("Category", Category.Root)] // chown to another uid
    public void A_base_that_is_a_link_or_someone_elses_is_refused_naming_why()
    {
        Requires.Root();
        var target = Directory.CreateDirectory(Path.Combine(_base, "real")).FullName;
        var link = Path.Combine(_base, "link");
        File.CreateSymbolicLink(link, target);
        var e = Assert.Throws<GoNetToolsException>(() => PrivateDirectory.Create("lab", link));
        Assert.Equal(ErrorIds.RuntimeDirectoryUnsafe, e.ErrorId);
        Assert.Contains("symbolic link", e.Message);

        var theirs = Directory.CreateDirectory(Path.Combine(_base, "theirs")).FullName;
        Shell.Run("chown", $"65534:65534 {theirs}");
        e = Assert.Throws<GoNetToolsException>(() => PrivateDirectory.Create("lab", theirs));
        Assert.Contains("belongs to uid 65534", e.Message);

        // Ours but open to others: closed to 0700 rather than refused (positive control: it is then used).
        var open = Directory.CreateDirectory(Path.Combine(_base, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF);
        using var dir = PrivateDirectory.Create("lab", open);
        Assert.Equal(0x1C0, PosixFiles.Stat(open, followLinks: false).Mode);
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }
}
