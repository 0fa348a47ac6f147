using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// Who ended each TCP connection to a server port, from a capture (tshark): the side whose FIN or RST came first
/// (ServerFirst, ClientFirst; Unclosed when neither showed), and how many connections saw an RST at all. A side
/// that closed first and saw no RST holds the TIME_WAIT (…Clean); an RST removes it (tcp_rfc1337 = 0).
/// Crossed counts the clean closes whose second FIN was sent before its side had acknowledged the first one (a
/// simultaneous close, RFC 793 CLOSING): then both sides pass through TIME_WAIT, the second closer too.
/// </summary>
public sealed record TcpCloses(int ServerFirst, int ClientFirst, int Unclosed, int WithReset, int ServerFirstClean, int ClientFirstClean)
{
    public static TcpCloses Read(string pcap, int serverPort)
    {
        var rows = Tshark.Fields(pcap, $"tcp.port == {serverPort}", "", "tcp.stream", "tcp.srcport", "tcp.flags.fin", "tcp.flags.reset",
            "tcp.seq", "tcp.len", "tcp.ack");
        var first = new Dictionary<string, bool?>();
        var reset = new HashSet<string>();
        var firstFinEnd = new Dictionary<string, long>();
        var crossed = new HashSet<string>();
        foreach (var row in rows)
        {
            var stream = row[0];
            var fromServer = int.Parse(row[1], CultureInfo.InvariantCulture) == serverPort;
            var closing = IsSet(row[2]) || IsSet(row[3]);
            if (IsSet(row[3]))
            {
                reset.Add(stream);
            }
            if (IsSet(row[2]) && first.GetValueOrDefault(stream) is bool firstFromServer && firstFromServer != fromServer
                && firstFinEnd.TryGetValue(stream, out var end) && Number(row[6]) < end)
            {
                crossed.Add(stream); // the second FIN does not acknowledge the first: the FINs crossed
            }
            if (closing && first.GetValueOrDefault(stream) is null)
            {
                first[stream] = fromServer;
                if (IsSet(row[2]))
                {
                    firstFinEnd[stream] = Number(row[4]) + Number(row[5]) + 1; // the FIN takes one sequence number
                }
            }
            else if (!first.ContainsKey(stream))
            {
                first[stream] = null;
            }
        }
        return new TcpCloses(
            first.Values.Count(v => v == true), first.Values.Count(v => v == false), first.Values.Count(v => v is null), reset.Count,
            first.Count(kv => kv.Value == true && !reset.Contains(kv.Key)), first.Count(kv => kv.Value == false && !reset.Contains(kv.Key)))
        {
            CrossedServerFirst = crossed.Count(k => first[k] == true && !reset.Contains(k)),
            CrossedClientFirst = crossed.Count(k => first[k] == false && !reset.Contains(k)),
        };
    }

    /// <summary>Clean closes the server began whose client FIN crossed it: the client holds a TIME_WAIT too.</summary>
    public int CrossedServerFirst { get; init; }

    /// <summary>Clean closes the client began whose server FIN crossed it: the server holds a TIME_WAIT too.</summary>
    public int CrossedClientFirst { get; init; }

    private static long Number(string field) => long.Parse(field, CultureInfo.InvariantCulture);

    // tshark prints flags as "1"/"0" or "True"/"False" depending on version.
    private static bool IsSet(string field) => field is "1" or "True";
}
