using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// The device behind a folder: the longest mount point of proc/self/mountinfo that holds it, its major:minor through
/// sys/dev/block (a partition's parent disk; device-mapper and md through slaves/), then the disk's kind from its
/// name and sysfs (nvme*, mmcblk* with device/type MMC or SD, queue/rotational, a USB path, virtual disks by driver or
/// model). Free space from statvfs on the live machine, from a recorded `df -P -B1` (df.txt) in a fixture.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxStorageReader
{
    private static readonly string[] VirtualModels = { "QEMU", "VBOX", "VMware", "Virtual Disk", "Virtual disk", "Amazon Elastic Block Store", "PersistentDisk" };
    private static readonly string[] NetworkFileSystems = { "nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "ceph", "glusterfs" };
    private static readonly string[] SharedFileSystems = { "9p", "virtiofs", "vboxsf", "fuse.vmhgfs-fuse" };

    private readonly string _root;
    private readonly bool _live;

    public LinuxStorageReader(string root, bool live)
    {
        _root = root;
        _live = live;
    }

    public WorkstationStorage Read(string role, string path, List<WorkstationGap> gaps)
    {
        var resolved = _live ? Resolve(path) : path;
        var mount = MountOf(resolved);
        if (mount is null)
        {
            gaps.Add(Gap($"storage behind {role}", $"no mount in {Path.Combine(_root, "proc", "self", "mountinfo")} holds {resolved}"));
            return new WorkstationStorage { Role = role, Path = path };
        }
        var (device, kind, model, why) = Classify(mount.Value);
        if (why is not null)
        {
            gaps.Add(Gap($"storage device of {mount.Value.Point}", why));
        }
        var (size, free) = Space(mount.Value.Point);
        return new WorkstationStorage
        {
            Role = role,
            Path = path,
            MountPoint = mount.Value.Point,
            FileSystem = mount.Value.Type,
            Device = device,
            Kind = kind,
            Model = model,
            SizeBytes = size,
            FreeBytes = free,
            FreePercent = size is > 0 && free is not null ? Math.Round(100.0 * free.Value / size.Value, 1) : null,
        };
    }

    private (string? Device, StorageKind Kind, string? Model, string? Gap) Classify((string Point, string Type, int Major, int Minor, string Source) mount)
    {
        if (mount.Type is "tmpfs" or "ramfs")
        {
            return (null, StorageKind.Memory, null, null);
        }
        if (Array.IndexOf(NetworkFileSystems, mount.Type) >= 0)
        {
            return (mount.Source, StorageKind.Network, null, null);
        }
        if (Array.IndexOf(SharedFileSystems, mount.Type) >= 0)
        {
            return (mount.Source, StorageKind.Virtual, null, $"{mount.Type} is a folder the host shares with this virtual machine; the host's disk is not exposed here");
        }
        string? block = null;
        if (mount.Major != 0)
        {
            block = SysfsReader.RealPath(Path.Combine(_root, "sys", "dev", "block", $"{mount.Major}:{mount.Minor}"));
        }
        else if (mount.Source.StartsWith("/dev/", StringComparison.Ordinal))
        {
            // btrfs and others report an anonymous device number; the source names the partition.
            block = SysfsReader.RealPath(Path.Combine(_root, "sys", "class", "block", Path.GetFileName(mount.Source)));
        }
        if (block is null)
        {
            return (null, StorageKind.Unknown, null, mount.Type == "overlay"
                ? "an overlay file system (a container's layers): the disk under its upper directory is not visible from here"
                : $"{mount.Type} from '{mount.Source}' has no block device in sys/dev/block");
        }
        var disk = Disk(block, 0);
        var name = Path.GetFileName(disk);
        var model = SysfsReader.Text(Path.Combine(disk, "device", "model")) ?? SysfsReader.Text(Path.Combine(disk, "device", "name"));
        var vendor = SysfsReader.Text(Path.Combine(disk, "device", "vendor"));
        var label = string.Join(" ", new[] { vendor, model }.Where(v => !string.IsNullOrEmpty(v) && !v.StartsWith("0x", StringComparison.Ordinal)));
        if (name.StartsWith("vd", StringComparison.Ordinal) || name.StartsWith("xvd", StringComparison.Ordinal)
            || VirtualModels.Any(v => label.Contains(v, StringComparison.OrdinalIgnoreCase)))
        {
            return (name, StorageKind.Virtual, label.Length > 0 ? label : null,
                $"{name} is a virtual disk ({(name.StartsWith('x') ? "Xen" : label.Length > 0 && !name.StartsWith('v') ? label : "virtio_blk")}): the host's storage behind it, and whether it is NVMe, are not exposed here");
        }
        if (name.StartsWith("nvme", StringComparison.Ordinal))
        {
            return (name, StorageKind.Nvme, model, null);
        }
        if (name.StartsWith("mmcblk", StringComparison.Ordinal))
        {
            return SysfsReader.Text(Path.Combine(disk, "device", "type")) switch
            {
                "MMC" => (name, StorageKind.Emmc, model, null),
                "SD" => (name, StorageKind.SdCard, model, null),
                var other => (name, StorageKind.Unknown, model, $"{name} is an MMC device of type '{other ?? "unknown"}' (device/type)"),
            };
        }
        if (name.StartsWith("zram", StringComparison.Ordinal) || name.StartsWith("ram", StringComparison.Ordinal))
        {
            return (name, StorageKind.Memory, null, null);
        }
        if (name.StartsWith("loop", StringComparison.Ordinal))
        {
            return (name, StorageKind.Unknown, null, $"{name} is a loop device: the file behind it lives on another disk");
        }
        if (disk.Contains("/usb", StringComparison.Ordinal))
        {
            return (name, StorageKind.Usb, label.Length > 0 ? label : null, null);
        }
        return SysfsReader.Number(Path.Combine(disk, "queue", "rotational")) switch
        {
            1 => (name, StorageKind.Rotational, label.Length > 0 ? label : null, null),
            0 => (name, StorageKind.SataSsd, label.Length > 0 ? label : null, null),
            _ => (name, StorageKind.Unknown, label.Length > 0 ? label : null, $"{name} has no queue/rotational"),
        };
    }

    /// <summary>The whole disk under a partition or a stacked device (device-mapper, md: the first of slaves/).</summary>
    private string Disk(string block, int depth)
    {
        if (File.Exists(Path.Combine(block, "partition")))
        {
            block = Path.GetDirectoryName(block)!;
        }
        var slaves = Path.Combine(block, "slaves");
        if (depth < 8 && Directory.Exists(slaves) && Directory.EnumerateFileSystemEntries(slaves).OrderBy(s => s, StringComparer.Ordinal).FirstOrDefault() is { } slave
            && SysfsReader.RealPath(slave) is { } lower)
        {
            return Disk(lower, depth + 1);
        }
        return block;
    }

    private (long? Size, long? Free) Space(string mountPoint)
    {
        if (_live)
        {
            try
            {
                var drive = new DriveInfo(mountPoint);
                return (drive.TotalSize, drive.AvailableFreeSpace);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return (null, null);
            }
        }
        var df = Path.Combine(_root, "df.txt");
        if (!File.Exists(df))
        {
            return (null, null);
        }
        foreach (var line in File.ReadLines(df).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 6 && string.Join(' ', fields[5..]) == mountPoint
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var available))
            {
                return (size, available);
            }
        }
        return (null, null);
    }

    /// <summary>The longest mount point that holds <paramref name="path"/> (mountinfo: id parent major:minor root point options … - type source).</summary>
    private (string Point, string Type, int Major, int Minor, string Source)? MountOf(string path)
    {
        var file = Path.Combine(_root, "proc", "self", "mountinfo");
        if (!File.Exists(file))
        {
            return null;
        }
        (string, string, int, int, string)? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines(file))
        {
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 7 || dash < 6 || dash + 2 >= fields.Length)
            {
                continue;
            }
            var point = Unescape(fields[4]);
            var numbers = fields[2].Split(':');
            if (numbers.Length != 2 || !int.TryParse(numbers[0], out var major) || !int.TryParse(numbers[1], out var minor) || !Holds(point, path))
            {
                continue;
            }
            // A later mount on the same point hides the earlier one, so ">=" keeps the last.
            if (point.Length >= bestLength)
            {
                bestLength = point.Length;
                best = (point, fields[dash + 1], major, minor, Unescape(fields[dash + 2]));
            }
        }
        return best;
    }

    private static bool Holds(string point, string path) =>
        point == "/" || path == point || path.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>mountinfo escapes space, tab, newline and backslash as \040, \011, \012, \134.</summary>
    private static string Unescape(string text) =>
        text.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    /// <summary>The real path of the nearest existing ancestor, with the rest appended (GOMODCACHE may not exist yet).</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var rest = new Stack<string>();
        var current = full;
        while (!Directory.Exists(current) && !File.Exists(current) && Path.GetDirectoryName(current) is { } parent)
        {
            rest.Push(Path.GetFileName(current));
            current = parent;
        }
        var real = SysfsReader.RealPath(current) ?? current;
        while (rest.Count > 0)
        {
            real = Path.Combine(real, rest.Pop());
        }
        return real;
    }

    private static WorkstationGap Gap(string item, string reason) => new() { Area = WorkstationArea.Storage, Item = item, Reason = reason };
}
