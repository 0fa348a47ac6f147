using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using GoNetTools.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// Cleartext HTTP/2 (prior knowledge) between Kestrel and HttpClient, captured with dumpcap on loopback. The
/// server resets one stream (RST_STREAM INTERNAL_ERROR) and asks to close one connection (GOAWAY); the GOAWAY
/// and RST_STREAM frames Get-Http2Frame reports must be the ones tshark decodes.
/// </summary>
[Trait("Category", Category.Tshark)]
[Trait("Category", Category.Root)]
public sealed class Http2CaptureTests
{
    [SkippableFact]
    public async Task Goaway_and_rst_stream_match_tshark()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        app.MapGet("/ok", () => "ok");
        app.MapGet("/reset", (HttpContext c) =>
        {
            c.Features.Get<IHttpResetFeature>()!.Reset(2); // INTERNAL_ERROR
            return Task.CompletedTask;
        });
        app.MapGet("/close", (HttpContext c) =>
        {
            c.Features.Get<IConnectionLifetimeNotificationFeature>()!.RequestClose(); // GOAWAY NO_ERROR
            return "closing";
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;

        using var capture = new LoopbackCapture($"tcp port {port}", "pcapng");
        {
            using (var client = new HttpClient(new SocketsHttpHandler())
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                DefaultRequestVersion = HttpVersion.Version20,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            })
            {
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal("ok", await client.GetStringAsync("/ok"));
                }
                await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("/reset"));
                Assert.Equal("closing", await client.GetStringAsync("/close"));
                await Task.Delay(300);
                Assert.Equal("ok", await client.GetStringAsync("/ok")); // a new connection after the GOAWAY
                await client.GetStringAsync("/ok");
                await app.StopAsync(); // Kestrel sends GOAWAY to the connection still open
            }
        }
        var file = capture.Stop();

        var opts = $"-d tcp.port=={port},http2";
        var oracleTypes = Tshark.Fields(file, "http2", opts, "http2.type").SelectMany(r => r[0].Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToList();
        var oracleGoAways = Tshark.Fields(file, "http2.type==7", opts, "http2.goaway.last_stream_id", "http2.goaway.error")
            .SelectMany(r => r[0].Split(',').Zip(r[1].Split(','), (last, code) => (Last: int.Parse(last), Code: Convert.ToUInt32(code, 16)))).ToList();
        var oracleRst = Tshark.Fields(file, "http2.type==3", opts, "http2.rst_stream.error").SelectMany(r => r[0].Split(',')).Select(c => Convert.ToUInt32(c, 16)).ToList();
        Assert.NotEmpty(oracleGoAways);
        Assert.Equal(new[] { 2u }, oracleRst);

        using var ps = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["f"] = file };
        var all = ps.Invoke("Get-Http2Frame -Path $f", vars);
        Assert.Empty(all.AllErrors);
        var frames = all.Objects<Http2Frame>().ToList();
        Assert.Equal(oracleTypes.Count, frames.Count);
        Assert.Equal(oracleTypes.Count(t => t == 1), frames.Count(f => f.Type == Http2FrameType.Headers));

        var goAways = ps.Invoke("Get-Http2Frame -Path $f -Type GoAway", vars).Objects<Http2Frame>().ToList();
        Assert.Equal(oracleGoAways, goAways.Select(g => (g.LastStreamId!.Value, (uint)g.ErrorCode!.Value)).ToList());
        var resets = ps.Invoke("Get-Http2Frame -Path $f -Type RstStream", vars).Objects<Http2Frame>().ToList();
        Assert.Equal(oracleRst, resets.Select(r => (uint)r.ErrorCode!.Value).ToList());
        Assert.Equal(Http2ErrorCode.InternalError, Assert.Single(resets).ErrorCode);
        Assert.Contains(frames, f => f.Type == Http2FrameType.Settings && f.Settings!.Length > 0);

        var flows = ps.Invoke("Get-TcpFlow -Path $f", vars).Objects<TcpFlow>().ToList();
        Assert.Equal(Tshark.TcpConversations(file), flows.Count);
        Assert.Equal(2, flows.Count);
        Assert.All(flows, f => Assert.Equal(FlowProtocol.Http2, f.Protocol));
        Assert.Equal(5, flows[0].Http2Streams);
        Assert.Equal(2, flows[1].Http2Streams);
        Assert.All(flows, f => Assert.Equal(FlowSide.Server, f.GoAway!.SentBy));

        var summary = Assert.Single(ps.Invoke("Measure-PacketCapture -Path $f", vars).Objects<CaptureSummary>());
        Assert.Equal(oracleGoAways.Count, summary.GoAways.Sum(g => g.Count));
        Assert.Equal(1, summary.RstStreams.Single(r => r.ErrorCode == Http2ErrorCode.InternalError).Count);
        Assert.Equal(7, summary.Requests);
        Assert.Equal(3.5, summary.ConnectionReuse);
    }
}
