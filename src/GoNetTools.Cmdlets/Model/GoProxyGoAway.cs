using System;

namespace GoNetTools;

/// <summary>What an HTTP/2 GOAWAY meant, judged per connection after the run.</summary>
public enum GoAwayKind
{
    /// <summary>NO_ERROR after the same number of requests on two or more connections: a per-connection stream budget (nginx keepalive_requests).</summary>
    Budget,
    /// <summary>
    /// A graceful shutdown or reload: LastStreamID 2^31−1 ("stop opening streams") or a GOAWAY followed by a second
    /// one, or a single NO_ERROR GOAWAY whose request count did not repeat on another connection.
    /// </summary>
    Shutdown,
    /// <summary>The server closed an idle connection: debug data naming a timeout, or no stream in flight for a second before it.</summary>
    IdleTimeout,
    /// <summary>Any error code other than NO_ERROR.</summary>
    Error,
}

/// <summary>The GOAWAY(s) one connection received, with the figures of that connection (Test-GoProxyStability's GoAwayEvents).</summary>
public sealed class GoProxyGoAway
{
    /// <summary>The connection (GoProxyConnection.Id).</summary>
    public int ConnectionId { get; init; }
    /// <summary>What the GOAWAY meant.</summary>
    public GoAwayKind Kind { get; init; }
    /// <summary>Error code name of the last GOAWAY (NO_ERROR for graceful ones).</summary>
    public string ErrorCode { get; init; } = "";
    /// <summary>LastStreamID of the last GOAWAY (the real last stream of a two-step shutdown).</summary>
    public int LastStreamId { get; init; }
    /// <summary>LastStreamID of the first GOAWAY (2147483647 in a two-step shutdown).</summary>
    public int FirstLastStreamId { get; init; }
    /// <summary>GOAWAY frames on this connection (2 for a two-step shutdown).</summary>
    public int Frames { get; init; }
    /// <summary>Requests the server processed on this connection: our streams up to LastStreamID.</summary>
    public int RequestsCarried { get; init; }
    /// <summary>
    /// The request count at which the server decided to close: RequestsCarried for a single GOAWAY; for a two-step one
    /// (first LastStreamID 2^31−1, or a second GOAWAY), the requests already answered when the first frame came — a
    /// server that closes gracefully finishes the streams then in flight (Kestrel does), so RequestsCarried varies
    /// with how many of ours were on the wire, while this count is the budget. Budgets are compared on it.
    /// </summary>
    public int RequestsAtDecision { get; init; }
    /// <summary>Streams we opened on this connection; those above LastStreamID were retried on a new connection.</summary>
    public int StreamsOpened { get; init; }
    /// <summary>Streams still in flight when the first GOAWAY arrived.</summary>
    public int StreamsInFlight { get; init; }
    /// <summary>Debug data of the GOAWAY, printable ASCII only, at most 128 characters ("" when none).</summary>
    public string DebugData { get; init; } = "";
    /// <summary>When the first GOAWAY arrived, since the start of the run.</summary>
    public TimeSpan At { get; init; }
    /// <summary>How long the connection had been open when the first GOAWAY arrived.</summary>
    public TimeSpan ConnectionAge { get; init; }

    /// <summary>"#3 Shutdown NO_ERROR last=43223 after 21612 requests".</summary>
    public override string ToString() => $"#{ConnectionId} {Kind} {ErrorCode} last={LastStreamId} after {RequestsCarried} requests";
}
