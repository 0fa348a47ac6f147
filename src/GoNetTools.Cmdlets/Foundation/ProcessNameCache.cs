using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;

namespace GoNetTools.Foundation;

/// <summary>
/// Process names by pid, looked up once per pid: a table has many sockets per process. Used where the OS gives
/// a pid but no name (Windows owner-pid tables, older macOS netstat). A pid that has exited has no name.
/// </summary>
internal sealed class ProcessNameCache
{
    private readonly Dictionary<int, string?> _names = new();

    public string? NameOf(int pid)
    {
        if (!_names.TryGetValue(pid, out var name))
        {
            name = Lookup(pid);
            _names[pid] = name;
        }
        return name;
    }

    /// <summary>Fills ProcessName on a row that has an owner and no name yet.</summary>
    public TcpConnection Fill(TcpConnection row)
    {
        if (row.OwningProcess is int pid && row.ProcessName is null)
        {
            row.ProcessName = NameOf(pid);
        }
        return row;
    }

    private static string? Lookup(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return null; // exited between the table read and now, or not ours to inspect
        }
    }
}
