using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// A test CA and a server certificate it signed, as PEM files a real server loads (nginx, the Go peer): ca.pem
/// (give it to `go` as SSL_CERT_FILE, to .NET as SSL_CERT_FILE or a custom trust root), server.pem, and the keys
/// server.key and ca.key (0600). <see cref="Shared"/> is the CA every peer uses by default; the broken sets make
/// each TLS failure cause on its own: <see cref="Untrusted"/> (another CA), <see cref="Expired"/> and
/// <see cref="WrongName"/> (both signed by the shared CA, so expiry or the name is the only fault).
/// </summary>
public sealed class PeerCertificates
{
    /// <summary>What the shared server certificate covers: loopback and the <see cref="NamespacePair"/> server address.</summary>
    public static readonly string[] PeerNames = { "127.0.0.1", "::1", "localhost", NamespacePair.ServerAddress };

    private static readonly Lazy<PeerCertificates> SharedSet = new(() => Create(Path.Combine(PeerRun.Root, "tls"), "GoNetTools test CA", PeerNames));
    private static readonly Lazy<PeerCertificates> UntrustedSet = new(() => Create(Path.Combine(PeerRun.Root, "tls-untrusted"), "Untrusted test CA", PeerNames));
    private static readonly Lazy<PeerCertificates> ExpiredSet = new(() => Create(Path.Combine(PeerRun.Root, "tls-expired"), null, PeerNames,
        DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), Shared));
    private static readonly Lazy<PeerCertificates> WrongNameSet = new(() => Create(Path.Combine(PeerRun.Root, "tls-wrongname"), null,
        new[] { "wrong.gonettools.test" }, issuer: Shared));

    private PeerCertificates(string directory, string caDirectory)
    {
        Directory = directory;
        CaDirectory = caDirectory;
    }

    /// <summary>One CA and server certificate for the whole test run.</summary>
    public static PeerCertificates Shared => SharedSet.Value;

    /// <summary>A server certificate for the peer names from a CA nobody is told to trust.</summary>
    public static PeerCertificates Untrusted => UntrustedSet.Value;

    /// <summary>A server certificate from the shared CA that expired yesterday.</summary>
    public static PeerCertificates Expired => ExpiredSet.Value;

    /// <summary>A server certificate from the shared CA for "wrong.gonettools.test" only (no IP SAN).</summary>
    public static PeerCertificates WrongName => WrongNameSet.Value;

    public string Directory { get; }

    private string CaDirectory { get; }

    /// <summary>The CA that signed <see cref="CertificatePath"/> (the shared one for Expired and WrongName).</summary>
    public string CaPath => Path.Combine(CaDirectory, "ca.pem");

    public string CertificatePath => Path.Combine(Directory, "server.pem");

    public string KeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The CA, to trust in a .NET client (RawHttp2Client, HttpClient callbacks).</summary>
    public X509Certificate2 Authority => X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));

    /// <summary>
    /// A server certificate (ECDSA P-256) for <paramref name="names"/> (IP addresses or DNS names), valid from
    /// <paramref name="notBefore"/> to <paramref name="notAfter"/> (default: an hour ago to two days on), signed by
    /// <paramref name="issuer"/>'s CA, or by a new CA named <paramref name="caName"/>; files go into <paramref name="directory"/>.
    /// </summary>
    public static PeerCertificates Create(string directory, string? caName, string[] names, DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, PeerCertificates? issuer = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(2);
        using var ca = issuer is null ? NewAuthority(directory, caName ?? "GoNetTools test CA") : issuer.AuthorityWithKey();

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

        var set = new PeerCertificates(directory, issuer?.CaDirectory ?? directory);
        PeerRun.WriteNew(set.CertificatePath, server.ExportCertificatePem() + "\n", Readable);
        PeerRun.WriteNew(set.KeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        return set;
    }

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A self-signed CA valid from yesterday for a year; ca.pem and ca.key written into <paramref name="directory"/>.</summary>
    private static X509Certificate2 NewAuthority(string directory, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Valid well around now, so a server certificate made expired (or not yet valid) still chains to it.
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(365));
        PeerRun.WriteNew(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem() + "\n", Readable);
        PeerRun.WriteNew(Path.Combine(directory, "ca.key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        return ca;
    }

    private X509Certificate2 AuthorityWithKey() => X509Certificate2.CreateFromPemFile(CaPath, Path.Combine(CaDirectory, "ca.key"));
}
