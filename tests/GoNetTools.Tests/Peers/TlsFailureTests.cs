using System;
using System.Collections;
using GoNetTools.Tests.Infrastructure;
using GoNetTools.Tests.Infrastructure.Peers;
using Xunit;

namespace GoNetTools.Tests.Peers;

/// <summary>
/// Each TLS failure cause on its own, as the real `go` client names it against nginx: a CA nobody trusts, an
/// expired certificate, a certificate for another name. `go` trusts only the shared test CA here.
/// </summary>
[Trait("Category", Category.Root)]
[Trait("Category", Category.Nginx)]
[Trait("Category", Category.Go)]
public sealed class TlsFailureTests
{
    public static TheoryData<string, string> Causes => new()
    {
        { nameof(PeerCertificates.Untrusted), "x509: certificate signed by unknown authority" },
        { nameof(PeerCertificates.Expired), "x509: certificate has expired or is not yet valid" },
        { nameof(PeerCertificates.WrongName), "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" },
    };

    [SkippableTheory]
    [MemberData(nameof(Causes))]
    public void Go_names_the_cause_and_nginx_serves_nothing(string set, string message)
    {
        var certificates = set switch
        {
            nameof(PeerCertificates.Untrusted) => PeerCertificates.Untrusted,
            nameof(PeerCertificates.Expired) => PeerCertificates.Expired,
            _ => PeerCertificates.WrongName,
        };
        using var nginx = NginxPeer.Start(ModuleTree.Shared().DownloadDir, new NginxOptions { Certificates = certificates });
        var env = new Hashtable(nginx.GoEnvironment) { ["SSL_CERT_FILE"] = PeerCertificates.Shared.CaPath };
        using var go = new GoTool();
        var (code, _, stderr) = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", env);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Empty(nginx.AccessLog().Requests);
    }

    [SkippableFact]
    public void Go_trusts_the_shared_CA_for_every_peer_name()
    {
        // Positive control: the same server with the shared certificate serves go.
        using var nginx = NginxPeer.Start(ModuleTree.Shared().DownloadDir);
        Assert.Equal(PeerCertificates.Shared.CaPath, nginx.GoEnvironment["SSL_CERT_FILE"]);
        using var go = new GoTool();
        var (code, _, stderr) = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", nginx.GoEnvironment);
        Assert.True(code == 0, stderr);
        Assert.Equal(3, nginx.AccessLog(atLeast: 3).CountStatus(200));
    }
}
