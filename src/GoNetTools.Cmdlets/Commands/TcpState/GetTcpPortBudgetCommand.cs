using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using GoNetTools.Foundation;
using GoNetTools.Tcp;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TcpPortBudget: the ephemeral port range minus reserved ports, the ports in use toward a destination by
/// state, the new-connection rate seen over -SampleSeconds, the sustainable rate (free ports ÷ TIME_WAIT
/// seconds) and the time to exhaustion at the observed rate.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TcpPortBudget")]
[OutputType(typeof(TcpPortBudget))]
public sealed class GetTcpPortBudgetCommand : GoNetToolsCmdlet
{
    /// <summary>Destination addresses (IP or CIDR) whose connections use the budget; all when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? RemoteAddress { get; set; }

    /// <summary>Destination ports (443 for a GOPROXY over HTTPS).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? RemotePort { get; set; }

    /// <summary>Seconds to watch new connections toward the destination (0: no rate, the default 0).</summary>
    [Parameter]
    [ValidateRange(0d, 3600d)] // double bounds: int bounds made 1e308 fail as "cannot convert to Int32"
    public double SampleSeconds { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var filter = CreateFilter(null, RemoteAddress, null, RemotePort, null, IPFamily.Any);
        Guarded(() =>
        {
            var ports = PlatformServices.EphemeralPorts(SystemRoot);
            var range = ports.ReadRange();
            var timeWait = ports.ReadTimeWait();
            var source = PlatformServices.TcpState(SystemRoot);
            var (tally, seconds, rate) = Sample(source, filter);
            if (tally is null)
            {
                return;
            }
            WriteObject(PortBudgetCalculator.Compute(range, timeWait, source.Scope, Destination(), tally, seconds, rate));
        }, RemoteAddress, ErrorIds.TcpTableUnavailable, "Reading the TCP socket table", "Run again; if it persists, check that /proc is readable.");
    }

    private string Destination()
    {
        var address = RemoteAddress is null ? "any" : string.Join(",", RemoteAddress);
        return RemotePort is null ? address : $"{address} port {string.Join(",", RemotePort)}";
    }

    /// <summary>Reads the table now and, with -SampleSeconds, every 250 ms after, counting 4-tuples not there at the start.</summary>
    private (TcpStateTally? Last, double Seconds, double? Rate) Sample(ITcpStateSource source, TcpConnectionFilter filter)
    {
        var sampler = new SocketTableSampler(source);
        var counter = new NewConnectionCounter();
        var watch = Stopwatch.StartNew();
        var sample = TimeSpan.FromSeconds(SampleSeconds);
        using var progress = StartProgress("Get-TcpPortBudget", "Counting new connections toward the destination");
        TcpStateTally tally;
        while (true)
        {
            var rows = new List<TcpConnection>();
            tally = sampler.Tally(row => filter.Matches(row) && row.State != TcpState.Listen, WriteWarning, rows);
            counter.Observe(rows);
            if (watch.Elapsed >= sample)
            {
                break;
            }
            if (!progress.Tick(watch, sample, TimeSpan.FromMilliseconds(250)))
            {
                return (null, 0, null);
            }
        }
        double seconds = SampleSeconds > 0 ? watch.Elapsed.TotalSeconds : 0;
        return (tally, seconds, SampleSeconds > 0 ? counter.NewConnections / seconds : null);
    }
}
