using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>One access-log line in <see cref="NginxAccessLog.Format"/>.</summary>
public sealed record NginxRequest(
    long Connection, int ConnectionRequests, int Status, double RequestSeconds, double UnixSeconds, string Protocol,
    string RemoteAddress, int RemotePort, long BytesSent, string Method, string Uri)
{
    /// <summary>info, mod, zip, list, latest or other (<see cref="GoProxyRequestKind"/>).</summary>
    public string Kind => GoProxyRequestKind.Of(Uri);
}

/// <summary>One connection as the access log shows it: the requests it carried, in order.</summary>
public sealed record NginxConnection(long Id, string RemoteAddress, int RemotePort, IReadOnlyList<NginxRequest> Requests)
{
    /// <summary>The highest $connection_requests seen: the requests nginx counted on this connection.</summary>
    public int MaxConnectionRequests => Requests.Max(r => r.ConnectionRequests);

    public IReadOnlyDictionary<int, int> Statuses => Requests.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>
/// nginx's access log as the peer writes it: per request $connection (nginx's connection serial number, the
/// same number as "*N" in its error log), $connection_requests, status, URI and timings. Parsed, grouped.
/// </summary>
public sealed class NginxAccessLog
{
    /// <summary>The log_format the peer configures; the parser reads fields in this order, the URI last.</summary>
    public const string Format =
        "$connection $connection_requests $status $request_time $msec $server_protocol $remote_addr $remote_port $bytes_sent $request_method $request_uri";

    private NginxAccessLog(IReadOnlyList<NginxRequest> requests, IReadOnlyList<string> malformed)
    {
        Requests = requests;
        Malformed = malformed;
        Connections = requests.GroupBy(r => r.Connection)
            .Select(g => new NginxConnection(g.Key, g.First().RemoteAddress, g.First().RemotePort, g.OrderBy(r => r.ConnectionRequests).ToList()))
            .OrderBy(c => c.Id).ToList();
    }

    public IReadOnlyList<NginxRequest> Requests { get; }

    /// <summary>Lines that did not parse (none, unless the format changed).</summary>
    public IReadOnlyList<string> Malformed { get; }

    /// <summary>Connections that carried at least one request, by nginx's connection number.</summary>
    public IReadOnlyList<NginxConnection> Connections { get; }

    /// <summary>Requests per kind (info, mod, zip, list, latest, other); kinds never asked are absent.</summary>
    public IReadOnlyDictionary<string, int> CountByKind => Requests.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count());

    public int Count(string kind) => Requests.Count(r => r.Kind == kind);

    public int CountStatus(int status) => Requests.Count(r => r.Status == status);

    /// <summary>The share (0..1) of requests answered with <paramref name="status"/>; 0 for an empty log.</summary>
    public double StatusShare(int status) => Requests.Count == 0 ? 0 : (double)CountStatus(status) / Requests.Count;

    public static NginxAccessLog Read(string path) => Parse(PeerRun.ReadLines(path));

    public static NginxAccessLog Parse(IEnumerable<string> lines)
    {
        var requests = new List<NginxRequest>();
        var malformed = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var f = line.Split(' ', 11);
            if (f.Length == 11
                && long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var connection)
                && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var connectionRequests)
                && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                && double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var msec)
                && int.TryParse(f[7], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && long.TryParse(f[8], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                requests.Add(new NginxRequest(connection, connectionRequests, status, seconds, msec, f[5], f[6], port, bytes, f[9], f[10]));
            }
            else
            {
                malformed.Add(line);
            }
        }
        return new NginxAccessLog(requests, malformed);
    }
}
