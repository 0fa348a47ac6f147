using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>Rules on HTTP/2 frames, TLS, request failures and retransmissions.</summary>
internal static partial class StabilityRules
{
    private static IEnumerable<GoProxyFinding> GoAways(GoProxyStabilityResult r)
    {
        if (r.GoAways == 0)
        {
            yield break;
        }
        bool onlyNoError = r.GoAwayDetails.Count == 1 && r.GoAwayDetails.Contains("NO_ERROR");
        var evidence = Evidence(("GoAways", r.GoAways), ("Connections", r.Connections), ("ReuseRatio", r.ReuseRatio), ("Requests", r.Requests));
        foreach (System.Collections.DictionaryEntry entry in r.GoAwayDetails)
        {
            evidence["GoAway " + entry.Key] = entry.Value!;
        }
        if (onlyNoError)
        {
            yield return new GoProxyFinding
            {
                Code = "GoAwayBudget",
                Severity = FindingSeverity.Info,
                Message = $"The proxy ended connections with GOAWAY NO_ERROR {r.GoAways} time(s), after about {r.ReuseRatio:0} requests per connection: a per-connection stream budget, expected churn.",
                Evidence = evidence,
                Recommendation = "Nothing to fix: streams above the GOAWAY's last stream id are retried on a new connection. A larger budget (nginx http2 keepalive_requests / max_requests) means fewer new connections.",
                Rule = "Informational: GOAWAY with NO_ERROR after a stream budget (nginx's 1000 requests: LastStreamId 1999) is graceful; it is not a failure.",
            };
            yield break;
        }
        yield return new GoProxyFinding
        {
            Code = "GoAwayError",
            Severity = FindingSeverity.Warning,
            Message = $"The proxy ended connections with GOAWAY carrying an error code ({string.Join(", ", r.GoAwayDetails.Keys.Cast<string>())}).",
            Evidence = evidence,
            Recommendation = "Look at the proxy's (or load balancer's) HTTP/2 error log; capture with Start-PacketCapture and read the frames with Get-Http2Frame.",
            Rule = "Any GOAWAY with an error code other than NO_ERROR: the server ended the connection because of an error, and requests in flight above its last stream id fail or are retried.",
        };
    }

    private static GoProxyFinding? StreamResets(GoProxyStabilityResult r)
    {
        int resets = r.RstStreamCodes.Keys.Cast<string>().Where(k => k != "REFUSED_STREAM").Sum(k => (int)r.RstStreamCodes[k]!);
        double share = r.Requests == 0 ? 0 : (double)resets / r.Requests;
        if (resets == 0 || share < ResetWarningShare)
        {
            return null;
        }
        var evidence = Evidence(("RstStreams", r.RstStreams), ("Requests", r.Requests), ("ResetShare", Math.Round(share, 4)));
        foreach (System.Collections.DictionaryEntry entry in r.RstStreamCodes)
        {
            evidence["RST_STREAM " + entry.Key] = entry.Value!;
        }
        return new GoProxyFinding
        {
            Code = "StreamResets",
            Severity = share >= ResetErrorShare ? FindingSeverity.Error : FindingSeverity.Warning,
            Message = $"The proxy reset {resets} of {r.Requests} streams ({share:P1}) with RST_STREAM ({string.Join(", ", r.RstStreamCodes.Keys.Cast<string>())}).",
            Evidence = evidence,
            Recommendation = "INTERNAL_ERROR / PROTOCOL_ERROR resets come from the proxy or a middlebox: check its logs and upstream timeouts; capture with Start-PacketCapture and list the frames with Get-Http2Frame. cmd/go does not retry these: downloads fail.",
            Rule = $"RST_STREAM other than REFUSED_STREAM on at least {ResetWarningShare:P0} of requests (Warning), {ResetErrorShare:P0} (Error). REFUSED_STREAM is safe to retry and not counted.",
        };
    }

    private static GoProxyFinding? TlsHandshakeSlow(GoProxyStabilityResult r)
    {
        bool timeouts = r.FailuresByType.Contains(FailureClassifier.TlsHandshake);
        if ((r.TlsHandshakeP95 is not { } p95 || p95 < TlsWarning) && !timeouts)
        {
            return null;
        }
        bool error = timeouts || r.TlsHandshakeP95 >= TlsError;
        return new GoProxyFinding
        {
            Code = "TlsHandshakeSlow",
            Severity = error ? FindingSeverity.Error : FindingSeverity.Warning,
            Message = $"TLS handshakes took {Seconds(r.TlsHandshakeP50)} (median) and {Seconds(r.TlsHandshakeP95)} (p95); Go gives up at 10 s.",
            Evidence = Evidence(("TlsHandshakes", r.TlsHandshakes), ("TlsHandshakeP50", r.TlsHandshakeP50?.ToString() ?? "none"),
                ("TlsHandshakeP95", r.TlsHandshakeP95?.ToString() ?? "none"),
                ("TlsFailures", timeouts ? r.FailuresByType[FailureClassifier.TlsHandshake]! : 0)),
            Recommendation = "Find where the time goes: Start-PacketCapture then Get-TlsHandshake shows ClientHello→ServerHello per connection (a slow proxy, an inspecting middlebox, OCSP or certificate chain fetches). Fewer new connections (HTTP/2) means fewer handshakes.",
            Rule = $"p95 handshake at least {TlsWarning.TotalSeconds:0} s, half of Go's 10 s TLSHandshakeTimeout (Warning); at 10 s, or any failed handshake, Error.",
        };
    }

    private static GoProxyFinding? RequestFailures(GoProxyStabilityResult r)
    {
        double share = r.Requests == 0 ? 0 : (double)r.Failures / r.Requests;
        if (r.Failures == 0 || share < FailureWarningShare)
        {
            return null;
        }
        var evidence = Evidence(("Failures", r.Failures), ("Requests", r.Requests), ("FailureShare", Math.Round(share, 4)));
        foreach (System.Collections.DictionaryEntry entry in r.FailuresByType)
        {
            evidence[(string)entry.Key] = entry.Value!;
        }
        return new GoProxyFinding
        {
            Code = "RequestFailures",
            Severity = share >= FailureErrorShare ? FindingSeverity.Error : FindingSeverity.Warning,
            Message = $"{r.Failures} of {r.Requests} requests failed ({share:P1}): {string.Join(", ", r.FailuresByType.Keys.Cast<string>().Select(k => $"{k} {r.FailuresByType[k]}"))}.",
            Evidence = evidence,
            Recommendation = "NotFound: check the module list (-Module, -GoMod) against the proxy; StreamReset/ConnectionReset: the proxy's or a middlebox's logs; Timeout: Test-TcpTuning and Get-TcpStatistic -Interval for drops; PortsExhausted: Get-TcpPortBudget.",
            Rule = $"Failed requests (transport errors, resets, timeouts, statuses other than 200) on at least {FailureWarningShare:P0} of requests (Warning), {FailureErrorShare:P0} (Error): cmd/go fails the download on each.",
        };
    }

    private static GoProxyFinding? Retransmissions(GoProxyStabilityResult r)
    {
        if (r.RetransmitRate is not { } rate || rate < RetransWarning || r.RetransmittedSegments == 0 || r.SegmentsSent < RetransMinSegments)
        {
            return null;
        }
        return new GoProxyFinding
        {
            Code = "Retransmissions",
            Severity = rate >= RetransError ? FindingSeverity.Error : FindingSeverity.Warning,
            Message = $"Our connections retransmitted {r.RetransmittedSegments} segments ({rate:P2} of those sent); system-wide {(r.SystemRetransmitRate is { } s ? s.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "unknown")}.",
            Evidence = Evidence(("RetransmitRate", rate), ("RetransmittedSegments", r.RetransmittedSegments), ("SegmentsSent", r.SegmentsSent), ("SystemRetransmitRate", r.SystemRetransmitRate?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown")),
            Recommendation = "Loss on the path or a saturated receive queue: Get-NicQueue and Get-NicInterrupt (drops, IRQ placement; Set-NicInterruptAffinity), Get-TcpStatistic -Interval 00:00:05, and a capture (Start-PacketCapture, Measure-PacketCapture).",
            Rule = $"Retransmitted ÷ sent segments on our own sockets (tcp_info) at least {RetransWarning:P0} (Warning), {RetransError:P0} (Error); healthy paths stay well under 1%.",
        };
    }

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.00} s" : "n/a";
}
