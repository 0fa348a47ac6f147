using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Xunit;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// A lab started through Start-GoProxyLab in its own runspace, with HttpClients that trust its CA and count the
/// TCP connections they open. Dispose stops the lab and checks its process is gone.
/// </summary>
public sealed class LabSession : IDisposable
{
    private int _connects;

    private LabSession(ModuleRunspace ps, GoProxyLab lab)
    {
        Ps = ps;
        Lab = lab;
        Authority = lab.CertificatePath is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(lab.CertificatePath));
    }

    public ModuleRunspace Ps { get; }
    public GoProxyLab Lab { get; }
    public X509Certificate2? Authority { get; }
    public Uri BaseUrl => new(Lab.Url);

    /// <summary>TCP connections opened by the clients this session made.</summary>
    public int ClientConnections => Volatile.Read(ref _connects);

    public static LabSession Start(string parameters = "")
    {
        var ps = new ModuleRunspace();
        var result = ps.Invoke($"Start-GoProxyLab {parameters}");
        if (result.AllErrors.Any())
        {
            ps.Dispose();
            Assert.Fail("Start-GoProxyLab failed: " + string.Join("; ", result.AllErrors.Select(e => e.ToString())));
        }
        return new LabSession(ps, result.Objects<GoProxyLab>().Single());
    }

    public GoProxyLabStatistics Stats() => Lab.Refresh();

    /// <summary>HttpClient for the lab; HTTP/2 exact by default (prior knowledge on http://).</summary>
    public HttpClient Client(Version? version = null, HttpVersionPolicy policy = HttpVersionPolicy.RequestVersionExact)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                Interlocked.Increment(ref _connects);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        if (Authority is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => RawHttp2Client.Trusts(Authority, cert);
        }
        return new HttpClient(handler)
        {
            BaseAddress = BaseUrl,
            DefaultRequestVersion = version ?? new Version(2, 0),
            DefaultVersionPolicy = policy,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public RawHttp2Client Raw() => new(BaseUrl, Lab.CertificatePath);

    public void Dispose()
    {
        var pid = Lab.ProcessId;
        Ps.Invoke("Get-GoProxyLab | Stop-GoProxyLab");
        Ps.Dispose();
        Authority?.Dispose();
        AssertExited(pid);
    }

    /// <summary>The lab process has exited (waits up to 10 s).</summary>
    public static void AssertExited(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                if (p.HasExited || !p.ProcessName.StartsWith("dotnet", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (ArgumentException)
            {
                return;
            }
            Thread.Sleep(100);
        }
        Assert.Fail($"lab process {pid} is still running");
    }
}
