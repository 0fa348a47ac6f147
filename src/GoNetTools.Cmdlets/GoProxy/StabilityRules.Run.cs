using System;
using System.Linq;

namespace GoNetTools.GoProxy;

/// <summary>Rules on the run as a whole: nothing answered, a stall, a proxy that went away, retries.</summary>
internal static partial class StabilityRules
{
    private static GoProxyFinding? NoResponses(GoProxyStabilityResult r)
    {
        if (r.Responses > 0)
        {
            return null;
        }
        return new GoProxyFinding
        {
            Code = "NoResponses",
            Severity = FindingSeverity.Error,
            Message = $"The proxy answered none of {r.Requests} requests{(r.StoppedEarly is { } why ? $" ({why})" : "")}.",
            Evidence = Evidence(("Requests", r.Requests), ("Failures", r.Failures), ("Connections", r.Connections),
                ("FailuresByType", string.Join(", ", r.FailuresByType.Keys.Cast<string>().Select(k => $"{k} {r.FailuresByType[k]}")))),
            Recommendation = "See the other findings for why (TLS, a stall, refused connections); check that the proxy runs and answers `curl -v <proxy>/<module>/@v/list`.",
            Rule = "A run with no answered request is never Stable: `go mod download` would have fetched nothing.",
        };
    }

    private static GoProxyFinding? Stalled(GoProxyStabilityResult r)
    {
        if (r.LongestStall is not { } stall)
        {
            return null;
        }
        return new GoProxyFinding
        {
            Code = "Stalled",
            Severity = FindingSeverity.Error,
            Message = $"The proxy stopped answering: no response for {stall.TotalSeconds:0.#} s while {r.StalledRequests} request(s) waited on a connection it had accepted; `go mod download` would hang there (cmd/go sets no response timeout).",
            Evidence = Evidence(("LongestStall", stall.ToString()), ("StalledRequests", r.StalledRequests), ("Timeouts", r.FailuresByType.Contains(FailureClassifier.Timeout) ? r.FailuresByType[FailureClassifier.Timeout]! : 0),
                ("StoppedEarly", r.StoppedEarly ?? "no")),
            Recommendation = "The proxy process is frozen or overloaded, or a middlebox swallows the traffic: check its health, logs and CPU; capture with Start-PacketCapture to see whether anything comes back.",
            Rule = $"Requests waited {RequestTracker.StallAfter.TotalSeconds:0} s with no response header or body byte, on a connection the proxy had accepted (or a TLS handshake it never answered): the run ends there and the waiting requests fail as Timeout.",
        };
    }

    private static GoProxyFinding? ConnectFailures(GoProxyStabilityResult r)
    {
        if (r.ConnectFailuresAtEnd < StabilityEngine.DeadAfterConnectFailures)
        {
            return null;
        }
        return new GoProxyFinding
        {
            Code = "ConnectFailures",
            Severity = FindingSeverity.Error,
            Message = $"The proxy stopped accepting connections: the last {r.ConnectFailuresAtEnd} connection attempts failed ({string.Join(", ", r.FailuresByType.Keys.Cast<string>().Take(3))}), after {r.Responses} answered requests.",
            Evidence = Evidence(("ConnectFailuresInARow", r.ConnectFailuresAtEnd), ("Responses", r.Responses), ("Connections", r.Connections),
                ("ClosedAborted", r.ClosedAborted), ("StoppedEarly", r.StoppedEarly ?? "no")),
            Recommendation = "The proxy died or its port closed mid-run: check its process and logs, and whatever restarts it.",
            Rule = $"{StabilityEngine.DeadAfterConnectFailures} failed connection attempts in a row, each after an exponential backoff with jitter ({GuestPolicy.BackoffBase.TotalMilliseconds:0} ms doubling to {GuestPolicy.BackoffCap.TotalSeconds:0} s), end the run: the proxy is down.",
        };
    }

    private static GoProxyFinding? Retries(GoProxyStabilityResult r)
    {
        if (r.Retries == 0)
        {
            return null;
        }
        var evidence = Evidence(("Retries", r.Retries), ("Requests", r.Requests));
        foreach (System.Collections.DictionaryEntry entry in r.RetriesByCause)
        {
            evidence[(string)entry.Key] = entry.Value!;
        }
        return new GoProxyFinding
        {
            Code = "Retries",
            Severity = FindingSeverity.Info,
            Message = $"{r.Retries} request(s) were sent again on a new connection because the server never processed them ({string.Join(", ", r.RetriesByCause.Keys.Cast<string>().Select(k => $"{k} {r.RetriesByCause[k]}"))}); Go's transport does the same, so they are not failures.",
            Evidence = evidence,
            Recommendation = "Nothing to fix: these follow GOAWAYs (see the GoAway findings) or REFUSED_STREAM resets.",
            Rule = "Informational: a stream above a GOAWAY's LastStreamID (GoAwayUnprocessed), a request that raced a GOAWAY on a closing connection (GoAwayNoError), an RST_STREAM REFUSED_STREAM (RefusedStream), or a GET on a connection the proxy closed before any response byte (ClosedBeforeResponse) was never processed; it is sent again as Go's transport does (at once, then with backoff, at most 6 times).",
        };
    }
}
