using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// A test CA and a server certificate it signed, as PEM files a real server loads (nginx, the Go peer): ca.pem
/// (give it to `go` as SSL_CERT_FILE, to our client as the CA file), server.pem and server.key (0600).
/// <see cref="Shared"/> covers loopback and the <see cref="NamespacePair"/> server address; <see cref="Create"/>
/// makes others (another CA nobody trusts, a name that does not match, an expired certificate).
/// </summary>
public sealed class PeerCertificates
{
    private static readonly Lazy<PeerCertificates> SharedSet = new(() =>
        Create(Path.Combine(PeerRun.Root, "tls"), "GoNetTools test CA", new[] { "127.0.0.1", "::1", "localhost", NamespacePair.ServerAddress }));

    private PeerCertificates(string directory)
    {
        Directory = directory;
    }

    /// <summary>One CA and server certificate for the whole test run.</summary>
    public static PeerCertificates Shared => SharedSet.Value;

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.pem");

    public string CertificatePath => Path.Combine(Directory, "server.pem");

    public string KeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The CA, to trust in a .NET client (RawHttp2Client, HttpClient callbacks).</summary>
    public X509Certificate2 Authority => X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));

    /// <summary>
    /// A new CA (ECDSA P-256) and a server certificate for <paramref name="names"/> (IP addresses or DNS names),
    /// valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (default: an hour ago to two days on),
    /// written into <paramref name="directory"/> (created if missing).
    /// </summary>
    public static PeerCertificates Create(string directory, string caName, string[] names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(2);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        // The CA stays valid around now even when the server certificate is made expired or not yet valid.
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned((from < now ? from : now).AddDays(-1), (until > now ? until : now).AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        using var server = request.Create(ca, from, until, serial);

        var set = new PeerCertificates(directory);
        PeerRun.WriteNew(set.CaPath, ca.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        PeerRun.WriteNew(set.CertificatePath, server.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        PeerRun.WriteNew(set.KeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        return set;
    }
}
