using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.GoProxy;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy;

[Collection("GoProxyLoad")]
/// <summary>Bad input: each is a clear ErrorRecord, and none hangs past -Duration + 10 s.</summary>
public sealed class TestGoProxyStabilityErrorTests
{
    private static (ErrorRecord Error, TimeSpan Took) Fails(string arguments)
    {
        using var rs = new ModuleRunspace();
        var watch = Stopwatch.StartNew();
        var p = rs.Invoke("Test-GoProxyStability " + arguments);
        var took = watch.Elapsed;
        var unexpected = p.Objects<GoProxyStabilityResult>().FirstOrDefault();
        Assert.True(unexpected is null, unexpected is null ? "" : $"a result instead of an error: stopped '{unexpected.StoppedEarly}', {unexpected.Requests} requests, failures {string.Join(", ", unexpected.FailuresByType.Keys.Cast<string>().Select(k => k + " " + unexpected.FailuresByType[k]))}, TLS {string.Join(", ", unexpected.TlsFailureCauses.Keys.Cast<string>())}, {unexpected.Duration}");
        return (Assert.Single(p.AllErrors), took);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [SkippableFact]
    public void UnreachableProxyIsAConnectionError()
    {
        var (e, took) = Fails($"-Proxy https://127.0.0.1:{ClosedPort()} -Module example.com/mini -Duration 00:00:20");
        Assert.StartsWith("ProxyUnreachable", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        Assert.Contains("ConnectionRefused", e.Exception.Message);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [SkippableFact]
    public void StressAgainstAProxyNotOnThisHostNeedsAConfirmationThisHostCannotGive()
    {
        // 192.0.2.1 (TEST-NET-1) is not an address of this host: -Stress asks first, and a runspace without a UI cannot
        // answer. The error comes before any connection attempt (an unroutable address would hold a connect for long).
        var (e, took) = Fails("-Proxy https://192.0.2.1 -Module example.com/m@v1.0.0 -Stress -Duration 1");
        Assert.StartsWith("StressNotConfirmed", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, e.CategoryInfo.Category);
        Assert.Contains("this host cannot ask", e.Exception.Message);
        Assert.Contains("-Confirm:$false", e.ErrorDetails.RecommendedAction);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [SkippableFact]
    public async Task RefusedTlsHandshakeIsProxyTlsFailed()
    {
        // A listener that accepts and closes: the TLS handshake never completes.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource();
        var closer = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cts.Token);
                client.Client.Close(0);
            }
        });
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var (e, took) = Fails($"-Proxy https://127.0.0.1:{port} -Module example.com/mini -Duration 00:00:20");
        cts.Cancel();
        Assert.StartsWith("ProxyTlsFailed", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
        await Task.WhenAny(closer, Task.Delay(1000));
    }

    private static (ErrorRecord Error, TimeSpan Took, long LabConnections) FailsAgainstLab(string arguments)
    {
        LabRun.UseStagedLab();
        using var rs = new ModuleRunspace();
        var watch = Stopwatch.StartNew();
        var p = rs.Invoke($"$lab = Start-GoProxyLab; try {{ Test-GoProxyStability {arguments} }} finally {{ $lab.Refresh(); $lab | Stop-GoProxyLab -Confirm:$false }}");
        var took = watch.Elapsed;
        Assert.Empty(p.Objects<GoProxyStabilityResult>());
        var stats = p.Objects<GoProxyLabStatistics>().Single();
        return (Assert.Single(p.AllErrors), took, stats.Connections);
    }

    [SkippableFact]
    public void UntrustedCertificateIsProxyTlsFailed()
    {
        // The lab's CA is not trusted (no SSL_CERT_FILE, no -SkipCertificateCheck): the handshake fails, as it would for go.
        var (e, took, attempts) = FailsAgainstLab("-Proxy $lab.Url -Module $lab.Modules -Duration 00:00:10");
        Assert.StartsWith("ProxyTlsFailed", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        // The cause is named, with the chain's root, and what to do about it.
        Assert.Contains("UntrustedRoot", e.Exception.Message);
        Assert.Contains("GoNetTools lab CA", e.Exception.Message);
        Assert.Contains("SSL_CERT_FILE", e.ErrorDetails.RecommendedAction);
        // A handful of attempts, paced by the backoff: not a burst (the lab counted every TCP connection).
        // The run stops on the third failure; a connect already begun when it was judged may still arrive (see NginxFailureTests).
        Assert.InRange(attempts, RunStop.TlsFailuresFatal, RunStop.TlsFailuresFatal + 1);
        Assert.True(took < TimeSpan.FromSeconds(15), $"took {took}");
    }

    [SkippableFact]
    public void AUrlThatIsNotAGoProxyIsInvalidData()
    {
        // The lab's host, but a path under which no GOPROXY lives: every request is 404.
        var (e, took, requests) = FailsAgainstLab("-Proxy ($lab.Url.TrimEnd('/') + '/not/a/proxy') -Module $lab.Modules -Duration 00:00:10 -SkipCertificateCheck");
        Assert.StartsWith("NotGoProxy", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        Assert.True(took < TimeSpan.FromSeconds(15), $"took {took}");
    }

    [SkippableFact]
    public void GoModThatIsNotAGoModIsInvalidData()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gnt-{Guid.NewGuid():N}.mod");
        File.WriteAllText(file, "this is not a go.mod\nrequire nothing\n");
        try
        {
            var (e, _) = Fails($"-Proxy https://127.0.0.1:9 -GoMod '{file}' -Duration 00:00:05");
            Assert.StartsWith("InvalidGoMod", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Equal(file, e.TargetObject);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void MissingGoModIsObjectNotFound()
    {
        var (e, _) = Fails("-Proxy https://127.0.0.1:9 -GoMod /nonexistent/go.mod -Duration 00:00:05");
        Assert.StartsWith("GoModNotFound", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
    }

    [SkippableFact]
    public void UnknownAdapterIsObjectNotFoundListingTheRealOnes()
    {
        var (e, _) = Fails("-Proxy https://127.0.0.1:9 -Module example.com/mini -Adapter no-such-nic0 -Duration 00:00:05");
        Assert.StartsWith("AdapterNotFound", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Contains("lo", e.Exception.Message);
    }

    [SkippableTheory]
    [InlineData("-Proxy ftp://example.com", "InvalidProxy")]
    [InlineData("-Proxy not-a-url", "InvalidProxy")]
    [InlineData("-Proxy 'not a url'", "InvalidProxy")]
    [InlineData("-Proxy file:///srv/goproxy", "InvalidProxy")]
    [InlineData("-Proxy direct", "InvalidProxy")]
    [InlineData("-Proxy 'https://a.example,ftp://b.example'", "InvalidProxy")]
    [InlineData("-Proxy https://127.0.0.1:9 -Module 'bad module path@@'", "InvalidModule")]
    [InlineData("-Proxy https://127.0.0.1:9 -Duration 00:00:00", "InvalidDuration")]
    public void BadArgumentsAreInvalidArgument(string arguments, string id)
    {
        var (e, _) = Fails(arguments);
        Assert.StartsWith(id, e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
    }

    [SkippableFact]
    public void HttpVersionIsValidatedByTheParameterBinder()
    {
        var (e, _) = Fails("-Proxy https://127.0.0.1:9 -HttpVersion 3");
        Assert.StartsWith("ParameterArgumentValidationError", e.FullyQualifiedErrorId);
    }
}
