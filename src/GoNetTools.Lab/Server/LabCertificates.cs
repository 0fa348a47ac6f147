using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GoNetTools.Lab.Server;

/// <summary>
/// A throw-away CA and a leaf for 127.0.0.1, ::1, localhost and the listen address, made at start (ECDSA P-256, valid a day).
/// The CA is written as PEM for SSL_CERT_FILE (Go reads it on Linux and macOS) and for HttpClient tests;
/// nothing is added to any trust store.
/// </summary>
internal sealed class LabCertificates : IDisposable
{
    private LabCertificates(X509Certificate2 authority, X509Certificate2 server, string caPath)
    {
        Authority = authority;
        Server = server;
        CaPath = caPath;
    }

    public X509Certificate2 Authority { get; }
    public X509Certificate2 Server { get; }
    public string CaPath { get; }

    /// <summary>
    /// Makes the CA and leaf and writes ca.pem into <paramref name="directory"/>, which must exist and be private to
    /// us (the module passes one it made with mode 0700). The file is created exclusively, mode 0600: an existing
    /// name, a symbolic link included, makes this fail instead of writing through it.
    /// </summary>
    public static LabCertificates Create(string directory, IPAddress listenAddress)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=GoNetTools lab CA, O=GoNetTools", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        if (!listenAddress.Equals(IPAddress.Loopback) && !listenAddress.Equals(IPAddress.IPv6Loopback) && !listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.IPv6Any))
        {
            san.AddIpAddress(listenAddress);
        }
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leafPublic = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);

        // A PKCS#12 round trip gives a key SslStream can use on every OS (Windows refuses ephemeral keys).
        var server = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        var authority = X509CertificateLoader.LoadCertificate(ca.RawData);
        var caPath = Path.Combine(directory, "ca.pem");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(caPath, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(authority.ExportCertificatePem() + "\n");
        }
        return new LabCertificates(authority, server, caPath);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
