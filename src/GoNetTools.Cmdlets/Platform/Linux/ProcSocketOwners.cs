using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Maps socket inodes to the processes holding them, by reading every /proc/&lt;pid&gt;/fd link ("socket:[inode]").
/// Built only when a row with an inode needs an owner (TIME_WAIT rows have inode 0 and never do).
/// Processes we may not inspect (another user's, without root) are skipped, as ss -p does.
/// </summary>
internal sealed class ProcSocketOwners
{
    private readonly Dictionary<ulong, int> _pidByInode = new();
    private readonly Dictionary<int, string?> _names = new();
    private readonly string _proc;

    private ProcSocketOwners(string proc) => _proc = proc;

    public static ProcSocketOwners Scan(string systemRoot)
    {
        var owners = new ProcSocketOwners(Path.Combine(systemRoot, "proc"));
        owners.Load();
        return owners;
    }

    public bool TryGetOwner(ulong inode, out int pid, out string? name)
    {
        name = null;
        if (!_pidByInode.TryGetValue(inode, out pid))
        {
            return false;
        }
        if (!_names.TryGetValue(pid, out name))
        {
            name = ReadName(pid);
            _names[pid] = name;
        }
        return true;
    }

    private void Load()
    {
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories(_proc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var dir in processes)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && TryParseSocketLink(target, out ulong inode))
                    {
                        _pidByInode.TryAdd(inode, pid);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited or is not ours to read.
            }
        }
    }

    internal static bool TryParseSocketLink(string target, out ulong inode)
    {
        inode = 0;
        return target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out inode);
    }

    private string? ReadName(int pid)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_proc, pid.ToString(CultureInfo.InvariantCulture), "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
