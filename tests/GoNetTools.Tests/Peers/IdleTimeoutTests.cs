using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Peers;

/// <summary>What each real server sends when an HTTP/2 connection sits idle past its timeout.</summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class IdleTimeoutTests(ITestOutputHelper output)
{
    private static string InfoPath(int i) => ModuleTree.UrlPath(ModuleTree.Shared().Modules[i], "info");

    private (RawHttp2Frame[] After, double Seconds) IdleUntilClosed(Uri url, string? caPath)
    {
        using var client = new RawHttp2Client(url, caPath);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(RawHttp2Frame.Data, client.ReadUntilStreamEnds(client.Get(InfoPath(i)))?.Type);
        }
        var seen = client.Received.Count;
        var watch = Stopwatch.StartNew();
        Assert.True(client.ReadUntilClosed(), "the server kept the idle connection open past 10 s");
        var after = client.Received.Skip(seen).ToArray();
        output.WriteLine($"{url}: after {watch.Elapsed.TotalSeconds:0.00} s idle: " + string.Join(", ", after.Select(Describe)));
        return (after, watch.Elapsed.TotalSeconds);
    }

    private static string Describe(RawHttp2Frame f) => f.Type == RawHttp2Frame.GoAway
        ? $"GOAWAY(last {f.LastStreamId}, code {f.ErrorCode}, debug '{Encoding.ASCII.GetString(f.Payload, 8, f.Payload.Length - 8)}')"
        : $"frame type {f.Type} on stream {f.StreamId}";

    [SkippableFact]
    public void Nginx_keepalive_timeout_ends_an_idle_h2_connection()
    {
        using var nginx = NginxPeer.Start(ModuleTree.Shared().DownloadDir, new NginxOptions { KeepaliveTimeout = TimeSpan.FromSeconds(1), DebugLog = true });
        var (after, seconds) = IdleUntilClosed(nginx.Url, nginx.Certificates.CaPath);
        Assert.InRange(seconds, 0.8, 8);
        var goAway = Assert.Single(after);
        Assert.Equal((RawHttp2Frame.GoAway, 3, 0u, 8), (goAway.Type, goAway.LastStreamId, goAway.ErrorCode, goAway.Payload.Length));
        Assert.Equal((3, 0u), nginx.DebugLog().GoAways.Select(g => (g.StreamId, g.ErrorCode)).Single());
    }

    [SkippableFact]
    public void Go_IdleTimeout_ends_an_idle_h2_connection()
    {
        using var server = GoPeer.Start(ModuleTree.Shared().DownloadDir, new GoPeerOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        var (after, seconds) = IdleUntilClosed(server.Url, server.Certificates.CaPath);
        Assert.InRange(seconds, 0.8, 8);
        var goAway = Assert.Single(after);
        Assert.Equal((RawHttp2Frame.GoAway, 3, 0u, 8), (goAway.Type, goAway.LastStreamId, goAway.ErrorCode, goAway.Payload.Length));
    }
}
