using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>
/// The findings rules. Each states its threshold and the fact behind it (the same text is in the help):
/// nothing here lowers tcp_fin_timeout, recycles TIME_WAIT or calls a GOAWAY NO_ERROR a failure.
/// </summary>
internal static partial class StabilityRules
{
    /// <summary>ConnectionChurn: fewer requests per connection than this, over at least ChurnMinConnections connections.</summary>
    public const double ChurnReuseRatio = 10;
    public const int ChurnMinConnections = 20;
    /// <summary>
    /// TimeWaitGrowth: at the measured growth, TIME_WAIT settles at growth/s × TIME_WAIT seconds; warn when that is at
    /// least this share of the usable ephemeral ports toward one destination…
    /// </summary>
    public const double TimeWaitSettledShare = 0.10;
    /// <summary>…and the population grew by at least this many over the run.</summary>
    public const int TimeWaitMinGrowth = 50;
    /// <summary>Linux's default range 32768–60999 and TIME_WAIT, when the budget could not be read.</summary>
    public const int DefaultUsablePorts = 28232, DefaultTimeWaitSeconds = 60;
    /// <summary>PortExhaustionRisk Warning: TIME_WAIT peak above this share of the usable ports (Error at PortErrorShare).</summary>
    public const double PortWarningShare = 0.25, PortErrorShare = 0.9;
    /// <summary>StreamResets: RST_STREAMs (other than REFUSED_STREAM, safe to retry) per request.</summary>
    public const double ResetWarningShare = 0.01, ResetErrorShare = 0.05;
    /// <summary>TlsHandshakeSlow: p95 at or above half of Go's 10 s TLSHandshakeTimeout; Error at the timeout.</summary>
    public static readonly TimeSpan TlsWarning = TimeSpan.FromSeconds(5), TlsError = TimeSpan.FromSeconds(10);
    /// <summary>RequestFailures: failed requests per request.</summary>
    public const double FailureWarningShare = 0.01, FailureErrorShare = 0.05;
    /// <summary>Retransmissions: retransmitted per sent segment on our own sockets, over at least RetransMinSegments.</summary>
    public const double RetransWarning = 0.01, RetransError = 0.05;
    public const long RetransMinSegments = 1000;

    public static StabilityVerdict Verdict(IEnumerable<GoProxyFinding> findings, int responses = 1)
    {
        if (responses == 0)
        {
            // Nothing was answered: never Stable, whatever else was (not) seen.
            return StabilityVerdict.Unstable;
        }
        var worst = findings.Select(f => f.Severity).DefaultIfEmpty(FindingSeverity.Info).Max();
        return worst switch
        {
            FindingSeverity.Error => StabilityVerdict.Unstable,
            FindingSeverity.Warning => StabilityVerdict.Degraded,
            _ => StabilityVerdict.Stable,
        };
    }

    public static List<GoProxyFinding> Evaluate(GoProxyStabilityResult r, bool proxyIsLocal)
    {
        var findings = new List<GoProxyFinding>();
        Add(findings, NoResponses(r));
        Add(findings, Stalled(r));
        Add(findings, ConnectFailures(r));
        Add(findings, ConnectionChurn(r));
        Add(findings, TimeWaitGrowth(r, proxyIsLocal));
        Add(findings, PortExhaustionRisk(r));
        Add(findings, Http1Fallback(r));
        findings.AddRange(GoAways(r));
        Add(findings, StreamResets(r));
        Add(findings, TlsHandshakeSlow(r));
        Add(findings, RequestFailures(r));
        Add(findings, Retransmissions(r));
        Add(findings, Retries(r));
        return findings;
    }

    private static void Add(List<GoProxyFinding> list, GoProxyFinding? finding)
    {
        if (finding is not null)
        {
            list.Add(finding);
        }
    }

    private static GoProxyFinding? ConnectionChurn(GoProxyStabilityResult r)
    {
        if (r.Connections < ChurnMinConnections || r.ReuseRatio >= ChurnReuseRatio)
        {
            return null;
        }
        return new GoProxyFinding
        {
            Code = "ConnectionChurn",
            Severity = FindingSeverity.Warning,
            Message = $"{r.Connections} connections carried {r.Requests} requests ({r.ReuseRatio:0.##} per connection, {r.ConnectionsPerSecond:0.#} new per second).",
            Evidence = Evidence(("Connections", r.Connections), ("Requests", r.Requests), ("ReuseRatio", r.ReuseRatio),
                ("ConnectionsPerSecond", r.ConnectionsPerSecond), ("ClosedByClient", r.ClosedByClient), ("ClosedByServer", r.ClosedByServer),
                ("NegotiatedProtocol", r.NegotiatedProtocol)),
            Recommendation = r.ClosedByServer > r.ClosedByClient
                ? "The proxy closes connections after few requests (Connection: close): raise its keep-alive request limit, and serve HTTP/2. Watch with Watch-TcpState -RemotePort " + PortOf(r) + "."
                : "Use HTTP/2 (unset GODEBUG=http2client=0, let the proxy offer h2): Go's HTTP/1.1 pool keeps only 2 idle connections per host. Set-TcpTuning -Profile GoDev lets new connections reuse TIME_WAIT ports (tcp_tw_reuse=1).",
            Rule = $"Fewer than {ChurnReuseRatio} requests per connection over at least {ChurnMinConnections} connections. HTTP/2 carries every parallel fetch on one connection; Go's HTTP/1.1 transport keeps MaxIdleConnsPerHost = 2 idle connections, so GOMAXPROCS parallel fetches close the rest after each request.",
        };
    }

    private static GoProxyFinding? TimeWaitGrowth(GoProxyStabilityResult r, bool proxyIsLocal)
    {
        int growth = r.TimeWaitEnd - r.TimeWaitStart;
        int usable = r.PortBudget?.UsablePorts ?? DefaultUsablePorts;
        int twSeconds = r.PortBudget?.TimeWaitSeconds ?? DefaultTimeWaitSeconds;
        double settled = r.TimeWaitGrowthPerMinute / 60.0 * twSeconds;
        if (settled < TimeWaitSettledShare * usable || growth < TimeWaitMinGrowth)
        {
            return null;
        }
        var evidence = Evidence(("TimeWaitStart", r.TimeWaitStart), ("TimeWaitPeak", r.TimeWaitPeak), ("TimeWaitEnd", r.TimeWaitEnd),
            ("TimeWaitGrowthPerMinute", r.TimeWaitGrowthPerMinute), ("SettledTimeWait", Math.Round(settled)), ("UsablePorts", usable),
            ("TimeWaitSeconds", twSeconds), ("PortsReused", r.PortsReused), ("TimeWaitReuse", r.TimeWaitReuse));
        if (proxyIsLocal)
        {
            evidence["ServerTimeWaitPeak"] = r.ServerTimeWaitPeak;
        }
        evidence["Scope"] = r.Scope;
        return new GoProxyFinding
        {
            Code = "TimeWaitGrowth",
            Severity = FindingSeverity.Warning,
            Message = $"TIME_WAIT sockets of our connections grew to {r.TimeWaitEnd} (peak {r.TimeWaitPeak}, {r.TimeWaitGrowthPerMinute:0} per minute); at this rate they settle near {settled:0}, {settled / usable:P0} of the {usable} usable ports.",
            Evidence = evidence,
            Recommendation = "Reuse connections (HTTP/2, a higher keep-alive limit on the proxy). Set-TcpTuning -Profile GoDev sets tcp_tw_reuse=1 so new outgoing connections may reuse TIME_WAIT ports. Lowering tcp_fin_timeout does not shorten TIME_WAIT; never lower tcp_max_tw_buckets.",
            Rule = $"Growth per second × TIME_WAIT seconds (the population it settles at) reaches {TimeWaitSettledShare:P0} of the usable ephemeral ports, and at least {TimeWaitMinGrowth} new TIME_WAIT sockets over the run. Only our own sockets count (local end ours): a connection we close first stays in TIME_WAIT on our side for 60 s on Linux (fixed), 2×MSL = 30 s on macOS, TcpTimedWaitDelay on Windows, holding its port. A proxy on this host keeps its own TIME_WAIT for the connections it closes first (ServerTimeWaitPeak): evidence, not our ports.",
        };
    }

    private static GoProxyFinding? PortExhaustionRisk(GoProxyStabilityResult r)
    {
        if (r.PortBudget is not { } b || b.UsablePorts == 0)
        {
            return null;
        }
        double share = (double)b.InUse / b.UsablePorts;
        bool portErrors = r.FailuresByType.Contains(FailureClassifier.PortsExhausted);
        if (r.PortExhaustionEta is null && share < PortWarningShare && !portErrors)
        {
            return null;
        }
        var severity = portErrors || share >= PortErrorShare ? FindingSeverity.Error : FindingSeverity.Warning;
        return new GoProxyFinding
        {
            Code = "PortExhaustionRisk",
            Severity = severity,
            Message = (r.PortExhaustionEta is { } eta
                ? $"At the measured {r.ConnectionsPerSecond:0.#} new connections per second the {b.FreePorts} free ports toward the proxy run out in {eta.TotalSeconds:0} s (sustainable: {b.SustainableConnectionsPerSecond:0.#}/s)"
                : $"{b.InUse} of {b.UsablePorts} usable ports toward the proxy are held by our sockets ({share:P0}), at {r.ConnectionsPerSecond:0.#} new connections per second")
                + $"; {r.TimeWaitReuse}; {r.PortsReused} ports were reused in this run.",
            Evidence = Evidence(("UsablePorts", b.UsablePorts), ("InUse", b.InUse), ("TimeWait", b.TimeWait), ("FreePorts", b.FreePorts),
                ("ConnectionsPerSecond", r.ConnectionsPerSecond), ("SustainableConnectionsPerSecond", b.SustainableConnectionsPerSecond),
                ("TimeWaitSeconds", b.TimeWaitSeconds), ("TimeWaitReuse", r.TimeWaitReuse), ("PortsReused", r.PortsReused),
                ("PortExhaustionEta", r.PortExhaustionEta?.ToString() ?? "none"),
                ("PortErrors", portErrors ? r.FailuresByType[FailureClassifier.PortsExhausted]! : 0)),
            Recommendation = "Stop the churn first (HTTP/2, connection reuse). Then widen the range (Set-TcpTuning; Linux ip_local_port_range, Windows netsh int ipv4 set dynamicport) and Set-TcpTuning -Profile GoDev for tcp_tw_reuse=1. Get-TcpPortBudget -RemotePort " + PortOf(r) + " shows the budget live.",
            Rule = $"Our own sockets only. Warning when the connection rate exceeds free ports ÷ TIME_WAIT seconds (Linux ≈ 28,232 ÷ 60 ≈ 470/s per destination; with tcp_tw_reuse possible toward the proxy a TIME_WAIT port is taken again after about 1 s, so ÷ 1) or {PortWarningShare:P0} of the ports are in use; Error at {PortErrorShare:P0} or when connect() failed for lack of a port.",
        };
    }

    private static GoProxyFinding? Http1Fallback(GoProxyStabilityResult r)
    {
        if (!r.NegotiatedProtocol.Contains("http/1.1", StringComparison.Ordinal))
        {
            return null;
        }
        bool cleartext = r.Proxy.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        string message = r.HttpVersion == "1.1"
            ? "The client was limited to HTTP/1.1 (-HttpVersion 1.1, as GODEBUG=http2client=0 does)."
            : cleartext ? "The proxy URL is http://: Go speaks HTTP/1.1 to it (no h2c)."
            : "The proxy did not offer HTTP/2 in the TLS handshake (ALPN): connections fell back to HTTP/1.1.";
        return new GoProxyFinding
        {
            Code = "Http1Fallback",
            Severity = FindingSeverity.Warning,
            Message = message,
            Evidence = Evidence(("NegotiatedProtocol", r.NegotiatedProtocol), ("HttpVersionAsked", r.HttpVersion), ("Connections", r.Connections), ("ReuseRatio", r.ReuseRatio)),
            Recommendation = r.HttpVersion == "1.1"
                ? "Remove GODEBUG=http2client=0 so Go uses HTTP/2."
                : "Serve the proxy over https with HTTP/2 enabled (ALPN h2), so Go multiplexes fetches on one connection.",
            Rule = "Any connection on HTTP/1.1. Go then keeps at most MaxIdleConnsPerHost = 2 idle connections and opens one connection per parallel fetch.",
        };
    }

    internal static OrderedDictionary Evidence(params (string Name, object Value)[] items)
    {
        var evidence = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (name, value) in items)
        {
            evidence[name] = value;
        }
        return evidence;
    }

    internal static string PortOf(GoProxyStabilityResult r) =>
        new Uri(r.Proxy).Port.ToString(CultureInfo.InvariantCulture);
}
