using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using GoNetTools.Protocols.Http2;

namespace GoNetTools.Lab.Server;

/// <summary>
/// What the lab did, counted as it happens. Frame counts (GOAWAY, RST_STREAM) come from the frame tap on the
/// decrypted output, so they are frames really written, not intentions; frames written after the client had
/// closed its side (Kestrel's GOAWAY when a client drops an idle connection) are counted apart, because no
/// client can see them. The "Requested" counts are the faults the lab decided to inject.
/// </summary>
internal sealed class LabCounters
{
    private long _requests, _http1Requests, _http2Requests, _connections, _activeConnections, _tlsHandshakes;
    private long _goAwayFrames, _goAwayConnections, _goAwaysRequested, _rstStreamFrames, _resetsRequested;
    private long _connectionCloses, _aborts, _bytesWritten, _lastGoAwayStreamId = -1;
    private long _goAwayFramesAfterClientClosed, _rstStreamFramesAfterClientClosed;
    private long _throttled, _requestsDuringRetryAfter, _reloads;
    private readonly ConcurrentDictionary<string, long> _byKind = new();
    private readonly ConcurrentDictionary<string, long> _byStatus = new();
    private readonly ConcurrentDictionary<string, long> _goAwayCodes = new();
    private readonly ConcurrentDictionary<string, long> _rstStreamCodes = new();

    public void Request(string protocol, string kind)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref protocol == "HTTP/2" ? ref _http2Requests : ref _http1Requests);
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void Status(int status) => _byStatus.AddOrUpdate(status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
    public void ConnectionOpened() { Interlocked.Increment(ref _connections); Interlocked.Increment(ref _activeConnections); }
    public void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);
    public void TlsHandshake() => Interlocked.Increment(ref _tlsHandshakes);
    public void GoAwayRequested() => Interlocked.Increment(ref _goAwaysRequested);
    public void ResetRequested() => Interlocked.Increment(ref _resetsRequested);
    public void ConnectionClose() => Interlocked.Increment(ref _connectionCloses);
    public void Abort() => Interlocked.Increment(ref _aborts);
    public void BytesWritten(long n) => Interlocked.Add(ref _bytesWritten, n);
    public void GoAwayConnection() => Interlocked.Increment(ref _goAwayConnections);
    public void Throttled() => Interlocked.Increment(ref _throttled);
    public void RequestDuringRetryAfter() => Interlocked.Increment(ref _requestsDuringRetryAfter);
    public void Reload() => Interlocked.Increment(ref _reloads);

    public void GoAwayFrame(int lastStreamId, uint errorCode)
    {
        Interlocked.Increment(ref _goAwayFrames);
        Interlocked.Exchange(ref _lastGoAwayStreamId, lastStreamId);
        _goAwayCodes.AddOrUpdate(Http2ErrorCodes.Name(errorCode), 1, (_, n) => n + 1);
    }

    /// <summary>A GOAWAY or RST_STREAM written after the client closed its side: it never reached the client.</summary>
    public void FrameAfterPeerClosed(bool goAway) =>
        Interlocked.Increment(ref goAway ? ref _goAwayFramesAfterClientClosed : ref _rstStreamFramesAfterClientClosed);

    public void RstStreamFrame(uint errorCode)
    {
        Interlocked.Increment(ref _rstStreamFrames);
        _rstStreamCodes.AddOrUpdate(Http2ErrorCodes.Name(errorCode), 1, (_, n) => n + 1);
    }

    /// <summary>Zeroes every counter (the "reset" control command), so a test run can count from a clean start.</summary>
    public void Reset()
    {
        _requests = _http1Requests = _http2Requests = _connections = _tlsHandshakes = 0;
        _goAwayFrames = _goAwayConnections = _goAwaysRequested = _rstStreamFrames = _resetsRequested = 0;
        _connectionCloses = _aborts = _bytesWritten = 0;
        _goAwayFramesAfterClientClosed = _rstStreamFramesAfterClientClosed = 0;
        _throttled = _requestsDuringRetryAfter = _reloads = 0;
        _lastGoAwayStreamId = -1;
        _byKind.Clear(); _byStatus.Clear(); _goAwayCodes.Clear(); _rstStreamCodes.Clear();
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteNumber("requests", Interlocked.Read(ref _requests));
        w.WriteNumber("http1Requests", Interlocked.Read(ref _http1Requests));
        w.WriteNumber("http2Requests", Interlocked.Read(ref _http2Requests));
        w.WriteNumber("connections", Interlocked.Read(ref _connections));
        w.WriteNumber("activeConnections", Interlocked.Read(ref _activeConnections));
        w.WriteNumber("tlsHandshakes", Interlocked.Read(ref _tlsHandshakes));
        w.WriteNumber("goAwayFrames", Interlocked.Read(ref _goAwayFrames));
        w.WriteNumber("goAwayConnections", Interlocked.Read(ref _goAwayConnections));
        w.WriteNumber("goAwaysRequested", Interlocked.Read(ref _goAwaysRequested));
        w.WriteNumber("lastGoAwayStreamId", Interlocked.Read(ref _lastGoAwayStreamId));
        w.WriteNumber("goAwayFramesAfterClientClosed", Interlocked.Read(ref _goAwayFramesAfterClientClosed));
        w.WriteNumber("rstStreamFrames", Interlocked.Read(ref _rstStreamFrames));
        w.WriteNumber("rstStreamFramesAfterClientClosed", Interlocked.Read(ref _rstStreamFramesAfterClientClosed));
        w.WriteNumber("resetsRequested", Interlocked.Read(ref _resetsRequested));
        w.WriteNumber("connectionCloses", Interlocked.Read(ref _connectionCloses));
        w.WriteNumber("aborts", Interlocked.Read(ref _aborts));
        w.WriteNumber("bytesWritten", Interlocked.Read(ref _bytesWritten));
        w.WriteNumber("throttled", Interlocked.Read(ref _throttled));
        w.WriteNumber("requestsDuringRetryAfter", Interlocked.Read(ref _requestsDuringRetryAfter));
        w.WriteNumber("reloads", Interlocked.Read(ref _reloads));
        Map(w, "byKind", _byKind);
        Map(w, "byStatus", _byStatus);
        Map(w, "goAwayCodes", _goAwayCodes);
        Map(w, "rstStreamCodes", _rstStreamCodes);
    }

    private static void Map(Utf8JsonWriter w, string name, ConcurrentDictionary<string, long> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            w.WriteNumber(key, value);
        }
        w.WriteEndObject();
    }
}
