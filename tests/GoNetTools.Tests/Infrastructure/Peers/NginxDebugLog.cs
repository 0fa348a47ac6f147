using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>An HTTP/2 control frame nginx logged sending: GOAWAY (stream = last stream id) or RST_STREAM (stream = its id).</summary>
public sealed record NginxFrame(long Connection, int StreamId, uint ErrorCode, DateTime Time);

/// <summary>
/// The HTTP/2 frames nginx (built --with-debug, error_log … debug) says it sent, from the lines its
/// src/http/v2/ngx_http_v2.c writes (1.22, as recorded on this machine):
/// <c>*N http2 send GOAWAY frame: last sid %ui, error %ui</c> (ngx_http_v2_send_goaway) and
/// <c>*N http2 send RST_STREAM frame sid:%ui, status:%ui</c> (ngx_http_v2_send_rst_stream); *N is the connection
/// number, the access log's $connection.
/// </summary>
public sealed partial class NginxDebugLog
{
    private NginxDebugLog(IReadOnlyList<NginxFrame> goAways, IReadOnlyList<NginxFrame> resets)
    {
        GoAways = goAways;
        RstStreams = resets;
    }

    public IReadOnlyList<NginxFrame> GoAways { get; }

    public IReadOnlyList<NginxFrame> RstStreams { get; }

    public static NginxDebugLog Read(string path) => Parse(PeerRun.ReadLines(path));

    public static NginxDebugLog Parse(IEnumerable<string> lines)
    {
        var goAways = new List<NginxFrame>();
        var resets = new List<NginxFrame>();
        foreach (var line in lines)
        {
            if (GoAwayLine().Match(line) is { Success: true } g)
            {
                goAways.Add(Frame(g));
            }
            else if (RstStreamLine().Match(line) is { Success: true } r)
            {
                resets.Add(Frame(r));
            }
        }
        return new NginxDebugLog(goAways, resets);
    }

    /// <summary>GOAWAYs per connection number.</summary>
    public ILookup<long, NginxFrame> GoAwaysByConnection => GoAways.ToLookup(f => f.Connection);

    private static NginxFrame Frame(Match m) => new(
        long.Parse(m.Groups["conn"].Value, CultureInfo.InvariantCulture),
        int.Parse(m.Groups["sid"].Value, CultureInfo.InvariantCulture),
        uint.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture),
        DateTime.ParseExact(m.Groups["time"].Value, "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[debug\] \d+#\d+: \*(?<conn>\d+) http2 send GOAWAY frame: last sid (?<sid>\d+), error (?<code>\d+)$")]
    private static partial Regex GoAwayLine();

    [GeneratedRegex(@"^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[debug\] \d+#\d+: \*(?<conn>\d+) http2 send RST_STREAM frame sid:(?<sid>\d+), status:(?<code>\d+)$")]
    private static partial Regex RstStreamLine();
}
