using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// tcpdump counting connection attempts (SYN without ACK) towards a port over a time window, in the host's
/// namespace or a test's: each attempt and each SYN retransmission is one packet, with its time.
/// </summary>
public sealed class SynCounter : IDisposable
{
    private readonly PeerProcess _tcpdump;
    private IReadOnlyList<double>? _times;

    private SynCounter(PeerProcess tcpdump)
    {
        _tcpdump = tcpdump;
    }

    /// <summary>Starts tcpdump on <paramref name="device"/> (any: every interface of the namespace); returns once it listens.</summary>
    public static SynCounter Start(int port, NetNamespace? ns = null, string device = "any")
    {
        var filter = $"tcp dst port {port} and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn";
        var tcpdump = PeerProcess.Start("tcpdump", new[] { "-i", device, "-n", "-l", "-tt", "--immediate-mode", filter }, ns);
        if (tcpdump.WaitForLine(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(15)) is null)
        {
            var output = tcpdump.Output;
            tcpdump.Dispose();
            throw new InvalidOperationException("tcpdump did not start: " + output);
        }
        Thread.Sleep(300); // "listening" comes just before the filter is attached
        return new SynCounter(tcpdump);
    }

    /// <summary>Stops tcpdump (SIGINT) and returns the SYNs' times (Unix seconds), in order.</summary>
    public IReadOnlyList<double> Stop()
    {
        if (_times is null)
        {
            Thread.Sleep(300); // the last packets of the scenario reach tcpdump
            _tcpdump.Signal(PeerProcess.SIGINT);
            _tcpdump.WaitForExit(TimeSpan.FromSeconds(10));
            _times = _tcpdump.Output.Split('\n')
                .Select(l => l.Split(' ', 2)[0])
                .Where(t => t.Contains('.') && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                .Select(t => double.Parse(t, CultureInfo.InvariantCulture))
                .ToList();
        }
        return _times;
    }

    public int Count => Stop().Count;

    public void Dispose()
    {
        Stop();
        _tcpdump.Dispose();
    }
}

/// <summary>`nstat` counters (absolute, the history file untouched) of a namespace: TcpActiveOpens, TcpAttemptFails, …</summary>
public static class Nstat
{
    public static IReadOnlyDictionary<string, long> Read(NetNamespace? ns = null)
    {
        var (code, stdout, stderr) = ns is null ? Shell.TryRun("nstat", "-asz") : ns.TryExec("nstat -asz");
        if (code != 0)
        {
            throw new InvalidOperationException("nstat -asz failed: " + stderr);
        }
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 2 && !f[0].StartsWith('#') && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                counters[f[0]] = v;
            }
        }
        return counters;
    }

    /// <summary>after − before for one counter (0 where a counter is missing).</summary>
    public static long Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, string counter) =>
        after.GetValueOrDefault(counter) - before.GetValueOrDefault(counter);
}

/// <summary>TIME_WAIT sockets for one server port, split by whose they are, as `ss` lists them in one namespace.</summary>
public sealed record TimeWaitCount(int ClientSide, int ServerSide)
{
    /// <summary>
    /// Client-side: the local end is a client's (the server port is the remote port). Server-side: the local end
    /// is the server's port. On one host both live in the same namespace; with a <see cref="NamespacePair"/> each
    /// side counts its own namespace.
    /// </summary>
    public static TimeWaitCount For(int serverPort, NetNamespace? ns = null)
    {
        var (code, stdout, stderr) = ns is null ? Shell.TryRun("ss", "-tanH state time-wait") : ns.TryExec("ss -tanH state time-wait");
        if (code != 0)
        {
            throw new InvalidOperationException("ss failed: " + stderr);
        }
        int client = 0, server = 0;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4)
            {
                continue;
            }
            if (Port(f[^2]) == serverPort)
            {
                server++;
            }
            else if (Port(f[^1]) == serverPort)
            {
                client++;
            }
        }
        return new TimeWaitCount(client, server);
    }

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}
