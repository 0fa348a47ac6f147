using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Lab;

/// <summary>
/// Each fault seen from the client side (frames read off the wire, connections opened, errors), and the lab's
/// own counts equal to what the client saw.
/// </summary>
public sealed class LabFaultTests
{
    private const string List = "/lab.gonettools.test/mod000/@v/list";

    [SkippableFact]
    public void GoAwayAfterStreams_sends_one_graceful_goaway_naming_the_last_stream_like_nginx()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -GoAwayAfterStreams 3");
        using (var raw = lab.Raw())
        {
            Assert.Equal("h2", raw.NegotiatedProtocol);
            foreach (var _ in Enumerable.Range(0, 3))
            {
                var end = raw.ReadUntilStreamEnds(raw.Get(List));
                Assert.NotNull(end);
                Assert.NotEqual(RawHttp2Frame.RstStream, end!.Type);
            }
            Assert.True(raw.ReadUntilClosed(), "the lab did not close the connection after its GOAWAY");
            var goAway = Assert.Single(raw.Received, f => f.Type == RawHttp2Frame.GoAway);
            Assert.Equal(5, goAway.LastStreamId); // streams 1, 3, 5: the third is the last one served
            Assert.Equal(0u, goAway.ErrorCode);  // NO_ERROR
        }
        var stats = lab.Stats();
        Assert.Equal(1, stats.GoAwaysSent);
        Assert.Equal(1, stats.GoAwaysRequested);
        Assert.Equal(5, stats.LastGoAwayStreamId);
        Assert.Equal(1L, stats.GoAwayErrorCodes["NO_ERROR"]);
        Assert.Equal(3, stats.Http2Requests);
    }

    [SkippableFact]
    public void GoAwayAfterStreams_makes_httpclient_open_one_connection_per_budget()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -GoAwayAfterStreams 3");
        using var client = lab.Client();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, client.GetAsync(List).Result.StatusCode);
        }
        var stats = lab.Stats();
        Assert.Equal(10, stats.Http2Requests);
        Assert.Equal(lab.ClientConnections, stats.Connections);
        // The lab asks Kestrel to close once the budget's response has completed; the client may already have
        // sent its next request by then, and a stream opened before the GOAWAY is served on the old connection
        // (its id is within the GOAWAY's last-stream-id). So an ended connection served 3 or 4 requests: 10 requests
        // take ⌈10 / 4⌉ = 3 to ⌈10 / 3⌉ = 4 connections, every one but possibly the last was ended by a GOAWAY,
        // and each GOAWAY asked for was sent.
        Assert.InRange(stats.Connections, 3, 4);
        Assert.InRange(stats.GoAwaysRequested, stats.Connections - 1, stats.Connections);
        Assert.InRange(stats.GoAwaysRequested * 3, 0, 10);
        Assert.Equal(stats.GoAwaysRequested, stats.GoAwaysSent);
    }

    [SkippableFact]
    public void ResetStreamPercent_resets_exactly_that_share_with_internal_error()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -ResetStreamPercent 20");
        using var raw = lab.Raw();
        var resets = 0;
        for (var i = 0; i < 20; i++)
        {
            var end = raw.ReadUntilStreamEnds(raw.Get(List));
            Assert.NotNull(end);
            if (end!.Type == RawHttp2Frame.RstStream)
            {
                Assert.Equal(2u, end.ErrorCode); // INTERNAL_ERROR
                resets++;
            }
        }
        Assert.Equal(4, resets);
        var stats = lab.Stats();
        Assert.Equal(resets, stats.RstStreamsSent);
        Assert.Equal(resets, stats.ResetsRequested);
        Assert.Equal((long)resets, stats.RstStreamErrorCodes["INTERNAL_ERROR"]);
        Assert.Equal(16L, stats.ResponsesByStatus["200"]);
    }

    [SkippableFact]
    public void ResetStreamPercent_surfaces_in_httpclient_as_protocol_errors()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -ResetStreamPercent 50");
        using var client = lab.Client();
        var failures = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                client.GetAsync(List).Result.EnsureSuccessStatusCode();
            }
            catch (AggregateException e) when (e.InnerException is HttpRequestException { InnerException: HttpProtocolException { ErrorCode: 2 } })
            {
                failures++;
            }
        }
        Assert.Equal(5, failures);
        Assert.Equal(failures, lab.Stats().RstStreamsSent);
        Assert.Equal(1, lab.Stats().Connections);
    }

    [SkippableFact]
    public void Http1Only_with_CloseAfterRequests_1_costs_a_connection_per_request()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -Http1Only -CloseAfterRequests 1");
        Assert.Equal("http/1.1", lab.Lab.Protocols);
        using var client = lab.Client(HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower);
        for (var i = 0; i < 8; i++)
        {
            var response = client.GetAsync(List).Result;
            Assert.Equal(HttpVersion.Version11, response.Version);
            Assert.True(response.Headers.ConnectionClose);
        }
        var stats = lab.Stats();
        Assert.Equal(8, lab.ClientConnections);
        Assert.Equal(8, stats.Connections);
        Assert.Equal(8, stats.ConnectionCloses);
        Assert.Equal(8, stats.Http1Requests);
        Assert.Equal(0, stats.Http2Requests);
    }

    [SkippableFact]
    public void Http1Only_offers_no_h2_in_alpn()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -Http1Only");
        using var tcp = new TcpClient("127.0.0.1", lab.BaseUrl.Port);
        using var ssl = new SslStream(tcp.GetStream());
        ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, c, _, _) => RawHttp2Client.Trusts(lab.Authority!, c),
        });
        Assert.Equal(SslApplicationProtocol.Http11, ssl.NegotiatedApplicationProtocol);
    }

    [SkippableFact]
    public void HandshakeDelay_holds_the_tls_handshake_back()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -HandshakeDelay 800ms");
        Assert.Equal(TimeSpan.FromMilliseconds(800), lab.Lab.Faults.HandshakeDelay);
        var clock = Stopwatch.StartNew();
        using (var raw = lab.Raw())
        {
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(800), $"handshake took {clock.Elapsed}");
            Assert.NotNull(raw.ReadUntilStreamEnds(raw.Get(List)));
        }
        Assert.Equal(1, lab.Stats().TlsHandshakes);
    }

    [SkippableFact]
    public void Latency_delays_each_response()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -Latency 300ms");
        using var client = lab.Client();
        client.GetAsync(List).Result.EnsureSuccessStatusCode(); // connection set up outside the timing
        var clock = Stopwatch.StartNew();
        client.GetAsync(List).Result.EnsureSuccessStatusCode();
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"request took {clock.Elapsed}");
    }

    [SkippableFact]
    public void MaxConcurrentStreams_is_advertised_in_settings()
    {
        using var lab = LabSession.Start("-SyntheticModules 1 -MaxConcurrentStreams 7");
        using var raw = lab.Raw();
        raw.ReadUntilStreamEnds(raw.Get(List));
        Assert.Equal(7u, raw.ServerSetting(0x3)); // SETTINGS_MAX_CONCURRENT_STREAMS

        using var healthy = LabSession.Start("-SyntheticModules 1");
        using var control = healthy.Raw();
        control.ReadUntilStreamEnds(control.Get(List));
        Assert.Equal(100u, control.ServerSetting(0x3)); // Kestrel's default
    }
}
