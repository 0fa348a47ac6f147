using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.GoProxy.Peers;

/// <summary>
/// Test-GoProxyStability in a fresh runspace against a real peer (nginx, the Go server), trusting the peer's test
/// CA the way the go tool does (SSL_CERT_FILE). <see cref="Start"/> returns at once, so a test can reload, freeze or
/// kill the peer mid-run; <see cref="Wait"/> gives the result (or the error) and how long the command took.
/// </summary>
internal sealed class PeerStability : IDisposable
{
    private readonly ModuleRunspace _rs;
    private readonly Task<PipelineResult> _run;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private PeerStability(ModuleRunspace rs, Task<PipelineResult> run)
    {
        _rs = rs;
        _run = run;
    }

    public TimeSpan Took { get; private set; }

    public PipelineResult Pipeline => _run.Result;

    /// <param name="proxy">The -Proxy value (a URL or a GOPROXY list).</param>
    /// <param name="caPath">The test CA to trust (SSL_CERT_FILE), or null.</param>
    /// <param name="arguments">More Test-GoProxyStability parameters (durations quoted: '5s').</param>
    /// <param name="modules">The -Module values ("path@version").</param>
    public static PeerStability Start(string proxy, string? caPath, string arguments, IEnumerable<string> modules)
    {
        var rs = new ModuleRunspace();
        var script = $$"""
            $env:SSL_CERT_FILE = $ca
            try { Test-GoProxyStability -Proxy $proxy -Module $modules {{arguments}} }
            finally { $env:SSL_CERT_FILE = $null }
            """;
        var variables = new Dictionary<string, object?> { ["ca"] = caPath, ["proxy"] = proxy, ["modules"] = modules.ToArray() };
        return new PeerStability(rs, Task.Run(() => rs.Invoke(script, variables)));
    }

    public static GoProxyStabilityResult Run(string proxy, string? caPath, string arguments, IEnumerable<string> modules)
    {
        using var run = Start(proxy, caPath, arguments, modules);
        return run.Ok();
    }

    public PeerStability Wait(TimeSpan? timeout = null)
    {
        Assert.True(_run.Wait(timeout ?? TimeSpan.FromMinutes(3)), "Test-GoProxyStability did not return");
        Took = _clock.Elapsed;
        return this;
    }

    /// <summary>The result; fails the test on any error record.</summary>
    public GoProxyStabilityResult Ok()
    {
        Wait();
        Assert.True(!Pipeline.AllErrors.Any(), string.Join("; ", Pipeline.AllErrors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}")));
        return Assert.Single(Pipeline.Objects<GoProxyStabilityResult>());
    }

    /// <summary>The one error record (no result).</summary>
    public System.Management.Automation.ErrorRecord Error()
    {
        Wait();
        Assert.Empty(Pipeline.Objects<GoProxyStabilityResult>());
        return Assert.Single(Pipeline.AllErrors);
    }

    public void Dispose()
    {
        _run.Wait(TimeSpan.FromMinutes(3));
        _rs.Dispose();
    }

    /// <summary>The -Proxy value for a peer: its URL without the trailing slash, as GOPROXY is written.</summary>
    public static string Url(GoNetTools.Tests.Infrastructure.Peers.NginxPeer nginx) => nginx.Url.ToString().TrimEnd('/');

    /// <summary>Our connection to the peer that used this local port (the peer logs our port as its remote port).</summary>
    public static GoProxyConnection? ByLocalPort(IEnumerable<GoProxyConnection> connections, int port) =>
        connections.FirstOrDefault(c => c.LocalEndPoint.EndsWith(":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
