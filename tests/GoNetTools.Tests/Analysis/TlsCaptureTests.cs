using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// Real TLS handshakes (.NET SslStream both ends, SNI and ALPN "h2","http/1.1") captured with tcpdump on
/// loopback; Get-TlsHandshake and Get-TcpFlow must report the ClientHellos tshark sees.
/// </summary>
[Trait("Category", Category.Tshark)]
[Trait("Category", Category.Root)]
public sealed class TlsCaptureTests
{
    private static readonly string[] Names = { "proxy.golang.test", "sum.golang.test", "proxy.golang.test", "goproxy.corp.test" };

    [SkippableFact]
    public async Task ClientHellos_match_tshark_sni_and_alpn()
    {
        using var cert = SelfSigned();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var capture = new LoopbackCapture($"tcp port {port}", "pcap", nano: true);
        foreach (var name in Names)
        {
            await Handshake(listener, port, cert, name, SslProtocols.None);
        }
        await Handshake(listener, port, cert, "tls12.golang.test", SslProtocols.Tls12);
        var file = capture.Stop();

        var oracle = Tshark.Fields(file, "tls.handshake.type==1", $"-d tcp.port=={port},tls",
            "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str");
        using var ps = new ModuleRunspace();
        var result = ps.Invoke("Get-TlsHandshake -Path $f", new Dictionary<string, object?> { ["f"] = file });
        Assert.Empty(result.AllErrors);
        var hellos = result.Objects<TlsHandshake>().ToList();
        Assert.Equal(Names.Length + 1, oracle.Length);
        Assert.Equal(oracle.Length, hellos.Count);
        Assert.Equal(oracle.Select(r => r[0]), hellos.Select(h => h.Sni));
        Assert.Equal(oracle.Select(r => r[1]), hellos.Select(h => string.Join(',', h.AlpnOffered)));
        Assert.All(hellos, h => Assert.Equal(new[] { "h2", "http/1.1" }, h.AlpnOffered));
        Assert.All(hellos, h => Assert.NotNull(h.HandshakeDuration));
        Assert.All(hellos, h => Assert.True(h.CipherSuiteCount > 0));

        // TLS 1.3 hides the server's ALPN choice; TLS 1.2 shows it in the ServerHello, as tshark reads it.
        var tls13 = hellos.Where(h => h.ServerVersion == "TLS 1.3").ToList();
        Assert.Equal(Names.Length, tls13.Count);
        Assert.All(tls13, h => Assert.Null(h.AlpnSelected));
        Assert.All(tls13, h => Assert.Contains("encrypted", h.AlpnNote));
        var tls12 = Assert.Single(hellos, h => h.ServerVersion == "TLS 1.2");
        var serverAlpn = Tshark.Fields(file, "tls.handshake.type==2", $"-d tcp.port=={port},tls", "tls.handshake.extensions_alpn_str")
            .Select(r => r[0]).Where(a => a.Length > 0).ToList();
        Assert.Equal(new[] { tls12.AlpnSelected }, serverAlpn);
        Assert.Equal("h2", tls12.AlpnSelected);

        var flows = ps.Invoke("Get-TcpFlow -Path $f", new Dictionary<string, object?> { ["f"] = file }).Objects<TcpFlow>().ToList();
        Assert.Equal(Tshark.TcpConversations(file), flows.Count);
        Assert.Equal(Names.Append("tls12.golang.test"), flows.Select(f => f.Sni));
        Assert.All(flows, f => Assert.Equal(FlowProtocol.Tls, f.Protocol));

        var summary = Assert.Single(ps.Invoke("Measure-PacketCapture -Path $f", new Dictionary<string, object?> { ["f"] = file }).Objects<CaptureSummary>());
        Assert.Equal(5, summary.TlsHandshakes);
        Assert.Equal(2, summary.TlsHandshakesBySni.Single(s => s.Sni == "proxy.golang.test").Count);
    }

    private static async Task Handshake(TcpListener listener, int port, X509Certificate2 cert, string sni, SslProtocols protocols)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var server = await listener.AcceptTcpClientAsync();
        await using var serverTls = new SslStream(server.GetStream());
        await using var clientTls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        var serverTask = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = cert,
            ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 },
            EnabledSslProtocols = protocols,
        });
        await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 },
            EnabledSslProtocols = protocols,
        });
        await serverTask;
        Assert.Equal(SslApplicationProtocol.Http2, clientTls.NegotiatedApplicationProtocol);
        await clientTls.WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        await serverTls.ReadExactlyAsync(buffer);
        client.Client.Shutdown(SocketShutdown.Send);
    }

    internal static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gonettools.test", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
