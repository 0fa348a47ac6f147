using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Peers;

/// <summary>
/// "A proxy that is not on this host": nginx in a server namespace, the client (`go`, the gonettools host) in a
/// client namespace, joined by a veth. And the counters the Done-when tests read there: SYNs (tcpdump), nstat's
/// TcpActiveOpens/TcpAttemptFails, and `ss` TIME_WAIT split by whose socket it is.
/// </summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Netns)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class NamespacePairTests(ITestOutputHelper output)
{
    private static ModuleTree Tree => ModuleTree.Shared();

    private static NginxPeer ServerNginx(NamespacePair pair, NginxOptions? options = null) =>
        NginxPeer.Start(Tree.DownloadDir, (options ?? new NginxOptions()) with { Namespace = pair.Server, Address = NamespacePair.ServerAddress });

    [SkippableFact]
    public void Go_in_the_client_namespace_downloads_through_nginx_over_the_veth()
    {
        using var pair = new NamespacePair();
        using var nginx = ServerNginx(pair);
        Assert.Equal(new Uri($"https://{NamespacePair.ServerAddress}:443/"), nginx.Url);
        using var go = new GoTool();
        var (code, stdout, stderr) = go.Run("mod download " + string.Join(' ', Tree.Modules), nginx.GoEnvironment, ns: pair.Client);
        Assert.True(code == 0, $"go mod download failed ({code}): {stderr}\n{stdout}");

        var log = nginx.AccessLog(atLeast: 3 * Tree.Modules.Count);
        Assert.Equal(3 * Tree.Modules.Count, log.Requests.Count);
        var connection = Assert.Single(log.Connections);
        Assert.Equal(NamespacePair.ClientAddress, connection.RemoteAddress);
        // The server listens only in its namespace; the client namespace has no listener of its own.
        Assert.Contains("nginx", pair.Server.Exec("ss -Hltnp sport = :443"), StringComparison.Ordinal);
        Assert.Equal("", pair.Client.Exec("ss -Hltn").Trim());
    }

    [SkippableFact]
    public void Go_in_the_client_namespace_downloads_from_the_Go_peer_in_the_server_namespace()
    {
        using var pair = new NamespacePair();
        using var server = GoPeer.Start(Tree.DownloadDir, new GoPeerOptions { Namespace = pair.Server, Address = NamespacePair.ServerAddress });
        Assert.Equal($"{NamespacePair.ServerAddress}:443", server.Authority);
        using var go = new GoTool();
        var versions = Tree.Take(10);
        var (code, _, stderr) = go.Run("mod download " + string.Join(' ', versions), server.GoEnvironment, ns: pair.Client);
        Assert.True(code == 0, stderr);
        var log = server.Log(requests: 30);
        Assert.Equal(30, log.Requests.Count);
        var connection = Assert.Single(log.Connections);
        Assert.StartsWith(NamespacePair.ClientAddress + ":", connection.Remote, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_gonettools_host_in_the_client_namespace_reaches_nginx_and_trusts_the_test_CA_by_SSL_CERT_FILE()
    {
        using var pair = new NamespacePair();
        using var nginx = ServerNginx(pair);
        var url = new Uri(nginx.Url, ModuleTree.UrlPath(Tree.Modules[0], "info"));
        var script = $"$c = [System.Net.Http.HttpClient]::new(); [int]$c.GetAsync('{url}').GetAwaiter().GetResult().StatusCode";
        var (code, stdout, stderr) = pair.RunHost(script, new Dictionary<string, string> { ["SSL_CERT_FILE"] = nginx.Certificates.CaPath });
        Assert.True(code == 0, stderr);
        Assert.Equal("200", stdout.Trim());
        var request = Assert.Single(nginx.AccessLog(atLeast: 1).Requests);
        Assert.Equal(NamespacePair.ClientAddress, request.RemoteAddress);

        // Positive control: without the CA the host's TLS fails, and nginx logs no request.
        var untrusted = pair.RunHost(script);
        Assert.Contains("SSL connection could not be established", untrusted.Stdout + untrusted.Stderr, StringComparison.Ordinal);
        Assert.Single(nginx.AccessLog().Requests);
    }

    [SkippableFact]
    public void SYNs_and_nstat_count_refused_and_accepted_connects_alike()
    {
        using var pair = new NamespacePair();
        using var nginx = ServerNginx(pair);
        var server = new IPEndPoint(IPAddress.Parse(NamespacePair.ServerAddress), nginx.Port);

        // Dead server: every connect is refused (RST), each is one SYN, one active open and one failed attempt.
        nginx.Kill();
        var before = Nstat.Read(pair.Client);
        using (var syns = SynCounter.Start(nginx.Port, pair.Client))
        {
            Assert.Equal(0, Connects(pair, server, 6));
            Assert.Equal(6, syns.Count);
        }
        var after = Nstat.Read(pair.Client);
        Assert.Equal(6, Nstat.Delta(before, after, "TcpActiveOpens"));
        Assert.Equal(6, Nstat.Delta(before, after, "TcpAttemptFails"));

        // Frozen server (positive control): the kernel's backlog accepts, nothing fails.
        using var frozen = ServerNginx(pair);
        frozen.Freeze();
        before = Nstat.Read(pair.Client);
        using (var syns = SynCounter.Start(frozen.Port, pair.Client))
        {
            Assert.Equal(4, Connects(pair, server, 4));
            Assert.Equal(4, syns.Count);
        }
        after = Nstat.Read(pair.Client);
        Assert.Equal(4, Nstat.Delta(before, after, "TcpActiveOpens"));
        Assert.Equal(0, Nstat.Delta(before, after, "TcpAttemptFails"));
    }

    [SkippableFact]
    public void TIME_WAIT_lands_on_the_side_that_closed_first()
    {
        using var pair = new NamespacePair();
        // Cleartext HTTP/1.1 keeps TCP's close plain (over TLS, see the README: the close_notify race ends most
        // connections with an RST, which leaves no TIME_WAIT on either side).
        // keepalive_timeout 0: nginx closes after every response, so the TIME_WAIT is nginx's.
        using var churn = ServerNginx(pair, new NginxOptions { Tls = false, Http2 = false, KeepaliveTimeout = TimeSpan.Zero, Port = 80 });
        // Keep-alive: go closes its idle connections when it exits, so the TIME_WAIT is the client's.
        using var kept = ServerNginx(pair, new NginxOptions { Tls = false, Http2 = false, Port = 8080 });
        var versions = Tree.Take(10);

        using (var capture = new LoopbackCapture("tcp port 80", ns: pair.Server, device: "any"))
        {
            Download(pair, churn, versions);
            var log = churn.AccessLog(atLeast: 30);
            Assert.Equal(30, log.Requests.Count);
            Assert.Equal(30, log.Connections.Count);
            Assert.All(log.Requests, r => Assert.Equal("HTTP/1.1", r.Protocol));
            var serverNs = Settled(() => TimeWaitCount.For(80, pair.Server));
            var clientNs = TimeWaitCount.For(80, pair.Client);
            var closes = TcpCloses.Read(capture.Stop(), 80);
            Assert.Equal(0, capture.Dropped);
            // nginx ends most connections; go, reading "Connection: close", sometimes sends its FIN first.
            Assert.Equal((30, 0, 0), (closes.ServerFirst + closes.ClientFirst, closes.Unclosed, closes.WithReset));
            output.WriteLine($"cleartext churn: {closes}; TIME_WAIT server ns {serverNs}, client ns {clientNs}");
            Assert.True(closes.ServerFirst > closes.ClientFirst, closes.ToString());
            Assert.Equal((closes.ServerFirst, closes.ClientFirst), (closes.ServerFirstClean, closes.ClientFirstClean));
            // A close whose FINs crossed leaves a TIME_WAIT on both sides (seen once in 30: client ns 8 for 7 first FINs).
            Assert.Equal(new TimeWaitCount(0, closes.ServerFirst + closes.CrossedClientFirst), serverNs);
            Assert.Equal(new TimeWaitCount(closes.ClientFirst + closes.CrossedServerFirst, 0), clientNs);
        }

        using (var capture = new LoopbackCapture("tcp port 8080", ns: pair.Server, device: "any"))
        {
            Download(pair, kept, versions);
            var log = kept.AccessLog(atLeast: 30);
            Assert.Equal(30, log.Requests.Count);
            Assert.InRange(log.Connections.Count, 1, 29);
            // Every connection is go's to close, when it exits: all TIME_WAIT is the client's. The wire counts the
            // connections: go's transport may dial a spare one that never carries a request, so nginx's log, which
            // names connections by their requests, can hold fewer (a fresh-clone run: 1 in the log, 2 on the wire).
            var clientNs = Settled(() => TimeWaitCount.For(8080, pair.Client));
            var closes = TcpCloses.Read(capture.Stop(), 8080);
            Assert.Equal(0, capture.Dropped);
            Assert.Equal((0, 0, 0), (closes.ServerFirst, closes.Unclosed, closes.WithReset));
            Assert.Equal(closes.ClientFirst, closes.ClientFirstClean);
            Assert.InRange(closes.ClientFirst, log.Connections.Count, log.Connections.Count + 2);
            Assert.Equal(new TimeWaitCount(closes.ClientFirst, 0), clientNs);
            Assert.Equal(new TimeWaitCount(0, 0), TimeWaitCount.For(8080, pair.Server));
        }
    }

    [SkippableFact]
    public void Over_TLS_churn_ends_connections_with_RSTs_and_only_clean_closes_leave_TIME_WAIT()
    {
        using var pair = new NamespacePair();
        using var churn = ServerNginx(pair, new NginxOptions { Http2 = false, KeepaliveTimeout = TimeSpan.Zero });
        using var capture = new LoopbackCapture("tcp port 443", ns: pair.Server, device: "any");
        Download(pair, churn, Tree.Take(10));
        var log = churn.AccessLog(atLeast: 30);
        Assert.Equal(30, log.Connections.Count);
        var serverNs = Settled(() => TimeWaitCount.For(443, pair.Server));
        var clientNs = TimeWaitCount.For(443, pair.Client);
        var closes = TcpCloses.Read(capture.Stop(), 443);
        Assert.Equal(0, capture.Dropped);
        Assert.Equal((30, 0), (closes.ServerFirst + closes.ClientFirst, closes.Unclosed));
        // TLS adds a close_notify after the close: the peer that already closed answers it with an RST, and an RST'd
        // socket leaves no TIME_WAIT. The TIME_WAIT figures still follow the wire exactly.
        output.WriteLine($"TLS churn: {closes}; TIME_WAIT server ns {serverNs}, client ns {clientNs}");
        Assert.True(closes.WithReset > 0, closes.ToString());
        Assert.Equal(new TimeWaitCount(0, closes.ServerFirstClean), serverNs);
        Assert.Equal(new TimeWaitCount(closes.ClientFirstClean, 0), clientNs);
    }

    private static void Download(NamespacePair pair, NginxPeer nginx, string[] versions)
    {
        using var go = new GoTool();
        var run = go.Run("mod download " + string.Join(' ', versions), nginx.GoEnvironment, ns: pair.Client);
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>Connects from the client namespace; returns how many succeeded.</summary>
    private static int Connects(NamespacePair pair, IPEndPoint server, int count) => pair.Client.Inside(() =>
    {
        var ok = 0;
        for (var i = 0; i < count; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(server);
                ok++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
            }
        }
        return ok;
    });

    /// <summary>Reads until two reads 300 ms apart agree (closing handshakes finish), at most 5 s.</summary>
    private static TimeWaitCount Settled(Func<TimeWaitCount> read)
    {
        var last = read();
        for (var i = 0; i < 16; i++)
        {
            Thread.Sleep(300);
            var next = read();
            if (next == last)
            {
                return next;
            }
            last = next;
        }
        return last;
    }
}
