using System;
using System.Collections.Generic;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>Rules on HTTP/2 frames, TLS, request failures and retransmissions.</summary>
internal static partial class StabilityRules
{
    private static IEnumerable<GoProxyFinding> GoAways(GoProxyStabilityResult r)
    {
        var budget = r.GoAwayEvents.Where(e => e.Kind == GoAwayKind.Budget).ToList();
        if (budget.Count > 0)
        {
            var counts = budget.GroupBy(e => e.RequestsAtDecision).OrderByDescending(g => g.Count()).ToList();
            var main = counts[0];
            var shown = main.FirstOrDefault(e => e.LastStreamId != Http2ConnectionState.MaxStreamId) ?? main.First();
            yield return new GoProxyFinding
            {
                Code = "GoAwayBudget",
                Severity = FindingSeverity.Info,
                Message = $"The proxy ended {budget.Count} connections with GOAWAY NO_ERROR after {main.Key} requests each (last stream id {shown.LastStreamId}): a per-connection stream budget, expected churn.",
                Evidence = Evidence(("Connections", budget.Count), ("RequestsPerConnection", main.Key), ("LastStreamId", shown.LastStreamId),
                    ("OtherCounts", string.Join(", ", counts.Skip(1).Select(g => $"{g.Key} ×{g.Count()}"))), ("Retries", r.Retries),
                    ("ConnectionIds", string.Join(", ", budget.Select(e => e.ConnectionId).Take(20)))),
                Recommendation = "Nothing to fix: requests above the GOAWAY's last stream id are sent again on a new connection (Retries). A larger budget (nginx keepalive_requests, http2_max_requests) means fewer new connections.",
                Rule = "Informational: GOAWAY NO_ERROR after the same number of requests on two or more connections is a per-connection budget (nginx's 1000 requests: LastStreamId 1999), graceful and not a failure.",
            };
        }
        var shutdown = r.GoAwayEvents.Where(e => e.Kind == GoAwayKind.Shutdown).ToList();
        if (shutdown.Count > 0)
        {
            yield return new GoProxyFinding
            {
                Code = "GoAwayShutdown",
                Severity = FindingSeverity.Info,
                Message = "The proxy shut down or reloaded gracefully: " + string.Join("; ", shutdown.Take(5).Select(e =>
                    $"connection #{e.ConnectionId} got GOAWAY {(e.Frames > 1 ? $"×{e.Frames} (last stream id {e.FirstLastStreamId}, then {e.LastStreamId})" : $"(last stream id {e.LastStreamId})")} after {e.RequestsCarried} requests, {e.ConnectionAge.TotalSeconds:0.#} s after it opened")) + ".",
                Evidence = Evidence(("Connections", shutdown.Count), ("RequestsCarried", string.Join(", ", shutdown.Select(e => e.RequestsCarried))),
                    ("LastStreamIds", string.Join(", ", shutdown.Select(e => e.Frames > 1 ? $"{e.FirstLastStreamId}→{e.LastStreamId}" : e.LastStreamId.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
                    ("DebugData", string.Join(" | ", shutdown.Select(e => e.DebugData).Where(d => d.Length > 0).Distinct())), ("Retries", r.Retries)),
                Recommendation = "Nothing to fix if it was a planned reload or restart: in-flight requests finish and the rest go to a new connection. Frequent ones mean the proxy restarts often: check its logs and process manager.",
                Rule = "Informational: a GOAWAY with LastStreamID 2^31−1 or a second GOAWAY on the same connection (the two-step graceful shutdown), or a NO_ERROR GOAWAY whose request count does not repeat on another connection (a reload; Go's Server.Shutdown sends one GOAWAY), is not a per-connection budget.",
            };
        }
        var idle = r.GoAwayEvents.Where(e => e.Kind == GoAwayKind.IdleTimeout).ToList();
        if (idle.Count > 0)
        {
            yield return new GoProxyFinding
            {
                Code = "GoAwayIdle",
                Severity = FindingSeverity.Info,
                Message = $"The proxy closed {idle.Count} idle connection(s) with GOAWAY NO_ERROR (after {string.Join(", ", idle.Select(e => $"{e.ConnectionAge.TotalSeconds:0.#} s").Take(5))}).",
                Evidence = Evidence(("Connections", idle.Count), ("DebugData", string.Join(" | ", idle.Select(e => e.DebugData).Where(d => d.Length > 0).Distinct()))),
                Recommendation = "Nothing to fix: an idle timeout only costs a new connection (and TLS handshake) when the next download starts.",
                Rule = "Informational: a GOAWAY with no stream in flight for a second before it, or debug data naming a timeout.",
            };
        }
        var errors = r.GoAwayEvents.Where(e => e.Kind == GoAwayKind.Error).ToList();
        if (errors.Count > 0)
        {
            yield return new GoProxyFinding
            {
                Code = "GoAwayError",
                Severity = FindingSeverity.Warning,
                Message = $"The proxy ended {errors.Count} connection(s) with GOAWAY carrying an error code ({string.Join(", ", errors.Select(e => e.ErrorCode).Distinct())}).",
                Evidence = Evidence(("Connections", errors.Count), ("Codes", string.Join(", ", errors.Select(e => e.ErrorCode).Distinct())),
                    ("DebugData", string.Join(" | ", errors.Select(e => e.DebugData).Where(d => d.Length > 0).Distinct()))),
                Recommendation = "Look at the proxy's (or load balancer's) HTTP/2 error log; capture with Start-PacketCapture and read the frames with Get-Http2Frame.",
                Rule = "Any GOAWAY with an error code other than NO_ERROR: the server ended the connection because of an error, and requests in flight above its last stream id fail or are retried.",
            };
        }
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
        var causes = string.Join(", ", r.TlsFailureCauses.Keys.Cast<string>().Select(k => $"{k} {r.TlsFailureCauses[k]}"));
        bool timedOut = r.TlsFailureCauses.Contains(TlsFailureCause.HandshakeTimeout);
        var evidence = Evidence(("TlsHandshakes", r.TlsHandshakes), ("TlsHandshakeP50", r.TlsHandshakeP50?.ToString() ?? "none"),
            ("TlsHandshakeP95", r.TlsHandshakeP95?.ToString() ?? "none"),
            ("TlsFailures", timeouts ? r.FailuresByType[FailureClassifier.TlsHandshake]! : 0), ("TlsFailureCauses", causes));
        return new GoProxyFinding
        {
            Code = "TlsHandshakeSlow",
            Severity = error ? FindingSeverity.Error : FindingSeverity.Warning,
            Message = (timedOut
                    ? $"TLS handshake timeout: {r.TlsFailureCauses[TlsFailureCause.HandshakeTimeout]} handshake(s) got no answer within Go's 10 s (go: \"net/http: TLS handshake timeout\")"
                    : timeouts ? $"TLS handshakes failed ({causes})" : "TLS handshakes are slow")
                + $"; completed ones took {Seconds(r.TlsHandshakeP50)} (median) and {Seconds(r.TlsHandshakeP95)} (p95). Go gives up at 10 s.",
            Evidence = evidence,
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
