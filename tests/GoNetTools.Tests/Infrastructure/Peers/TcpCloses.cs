using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// Who ended each TCP connection to a server port, from a capture (tshark): the side whose FIN or RST came first
/// (ServerFirst, ClientFirst; Unclosed when neither showed), and how many connections saw an RST at all. A side
/// that closed first and saw no RST holds the TIME_WAIT (…Clean); an RST removes it (tcp_rfc1337 = 0).
/// </summary>
public sealed record TcpCloses(int ServerFirst, int ClientFirst, int Unclosed, int WithReset, int ServerFirstClean, int ClientFirstClean)
{
    public static TcpCloses Read(string pcap, int serverPort)
    {
        var rows = Tshark.Fields(pcap, $"tcp.port == {serverPort}", "", "tcp.stream", "tcp.srcport", "tcp.flags.fin", "tcp.flags.reset");
        var first = new Dictionary<string, bool?>();
        var reset = new HashSet<string>();
        foreach (var row in rows)
        {
            var stream = row[0];
            var fromServer = int.Parse(row[1], CultureInfo.InvariantCulture) == serverPort;
            var closing = IsSet(row[2]) || IsSet(row[3]);
            if (IsSet(row[3]))
            {
                reset.Add(stream);
            }
            if (closing && first.GetValueOrDefault(stream) is null)
            {
                first[stream] = fromServer;
            }
            else if (!first.ContainsKey(stream))
            {
                first[stream] = null;
            }
        }
        return new TcpCloses(
            first.Values.Count(v => v == true), first.Values.Count(v => v == false), first.Values.Count(v => v is null), reset.Count,
            first.Count(kv => kv.Value == true && !reset.Contains(kv.Key)), first.Count(kv => kv.Value == false && !reset.Contains(kv.Key)));
    }

    // tshark prints flags as "1"/"0" or "True"/"False" depending on version.
    private static bool IsSet(string field) => field is "1" or "True";
}
