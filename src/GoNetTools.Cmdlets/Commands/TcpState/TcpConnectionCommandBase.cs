using System.Collections.Generic;
using System.Management.Automation;
using GoNetTools.Foundation;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>The filters Get-TcpConnection and Get-TcpTimeWait share, and the streaming loop behind both.</summary>
public abstract class TcpConnectionCommandBase : GoNetToolsCmdlet
{
    private const int BatchSize = 256;

    /// <summary>Local addresses to keep: IP addresses or CIDR prefixes (10.0.0.0/8, fd00::/8).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LocalAddress { get; set; }

    /// <summary>Local ports to keep.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? LocalPort { get; set; }

    /// <summary>Remote addresses to keep: IP addresses or CIDR prefixes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoteAddress { get; set; }

    /// <summary>Remote ports to keep (443 for a GOPROXY over HTTPS).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? RemotePort { get; set; }

    /// <summary>IPv4, IPv6 or Any (the default).</summary>
    [Parameter]
    public IPFamily AddressFamily { get; set; } = IPFamily.Any;

    /// <summary>Streams the sockets in <paramref name="query"/> that pass the filters.</summary>
    private protected void WriteConnections(TcpStateQuery query, int[]? owningProcess)
    {
        var filter = CreateFilter(LocalAddress, RemoteAddress, LocalPort, RemotePort, owningProcess, AddressFamily);
        Guarded(() =>
        {
            var source = PlatformServices.TcpState(SystemRoot);
            // Rows go out in small batches: the engine's per-call cost of WriteObject dominates at 100k rows,
            // and a batch of 256 still streams (the first rows reach the pipeline after one netlink read).
            var batch = new List<TcpConnection>(BatchSize);
            foreach (var row in source.GetConnections(query, WriteWarning))
            {
                if (filter.Matches(row))
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        WriteObject(batch, enumerateCollection: true);
                        batch.Clear();
                    }
                }
            }
            WriteObject(batch, enumerateCollection: true);
        }, query, ErrorIds.TcpTableUnavailable, "Reading the TCP socket table", "Run again; if it persists, check that /proc is readable.");
    }
}
