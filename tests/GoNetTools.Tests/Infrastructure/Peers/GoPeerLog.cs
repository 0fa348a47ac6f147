using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>One request the Go peer served: its connection id, the request's number on that connection, status, URI.</summary>
public sealed record GoPeerRequest(double UnixSeconds, long Connection, int ConnectionRequest, int Status, string Protocol, string Uri, double Seconds)
{
    public string Kind => GoProxyRequestKind.Of(Uri);
}

/// <summary>One connection the Go peer accepted (ConnContext): its id and remote address.</summary>
public sealed record GoPeerConnection(double UnixSeconds, long Id, string Remote);

/// <summary>
/// The Go peer's log (goproxy-peer.go): "TIME conn conn=ID remote=ADDR", "TIME state remote=ADDR state=S",
/// "TIME request conn=ID n=N status=S proto=P uri=U seconds=D", "TIME shutdown begin", "TIME shutdown end err=E".
/// </summary>
public sealed class GoPeerLog
{
    private GoPeerLog(List<GoPeerRequest> requests, List<GoPeerConnection> connections, List<(double, string, string)> states, double? begin, double? end)
    {
        Requests = requests;
        Connections = connections;
        States = states;
        ShutdownBegin = begin;
        ShutdownEnd = end;
    }

    public IReadOnlyList<GoPeerRequest> Requests { get; }

    /// <summary>Every accepted connection, including those that carried no request.</summary>
    public IReadOnlyList<GoPeerConnection> Connections { get; }

    /// <summary>http.ConnState transitions: (time, remote, state).</summary>
    public IReadOnlyList<(double UnixSeconds, string Remote, string State)> States { get; }

    public double? ShutdownBegin { get; }

    public double? ShutdownEnd { get; }

    /// <summary>Requests carried per connection id (connections that carried none are absent).</summary>
    public IReadOnlyDictionary<long, int> RequestsPerConnection => Requests.GroupBy(r => r.Connection).ToDictionary(g => g.Key, g => g.Count());

    public int Count(string kind) => Requests.Count(r => r.Kind == kind);

    public static GoPeerLog Read(string path) => Parse(PeerRun.ReadLines(path));

    public static GoPeerLog Parse(IEnumerable<string> lines)
    {
        var requests = new List<GoPeerRequest>();
        var connections = new List<GoPeerConnection>();
        var states = new List<(double, string, string)>();
        double? begin = null, end = null;
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts.Length < 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            {
                continue;
            }
            var fields = parts.Skip(2).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            switch (parts[1])
            {
                case "request":
                    requests.Add(new GoPeerRequest(time, Long(fields["conn"]), (int)Long(fields["n"]), (int)Long(fields["status"]), fields["proto"], fields["uri"],
                        double.Parse(fields["seconds"], CultureInfo.InvariantCulture)));
                    break;
                case "conn":
                    connections.Add(new GoPeerConnection(time, Long(fields["conn"]), fields["remote"]));
                    break;
                case "state":
                    states.Add((time, fields["remote"], fields["state"]));
                    break;
                case "shutdown" when parts.Length > 2 && parts[2] == "begin":
                    begin = time;
                    break;
                case "shutdown" when parts.Length > 2 && parts[2] == "end":
                    end = time;
                    break;
            }
        }
        return new GoPeerLog(requests, connections, states, begin, end);
    }

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
