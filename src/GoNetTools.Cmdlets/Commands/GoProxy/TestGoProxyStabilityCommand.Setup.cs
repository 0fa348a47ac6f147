using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GoNetTools.GoProxy;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>Test-GoProxyStability's inputs: which proxy, which modules, which local address; and what to clean up.</summary>
public sealed partial class TestGoProxyStabilityCommand
{
    /// <summary>The options of one run and what to undo after it (a lab started for -Lab).</summary>
    private sealed record RunSession(StabilityOptions Options, Action Cleanup);

    private RunSession PrepareRun()
    {
        var (proxy, labModules, cleanup, labCa) = Lab ? StartLab() : ResolveProxy();
        try
        {
            var goMod = ReadGoMod();
            var modules = ResolveModules(labModules, goMod is not null);
            bool roundsOnly = MyInvocation.BoundParameters.ContainsKey(nameof(Rounds)) && !MyInvocation.BoundParameters.ContainsKey(nameof(Duration));
            var options = new StabilityOptions
            {
                Proxy = proxy,
                Modules = modules,
                GoMod = goMod,
                Duration = roundsOnly ? TimeSpan.FromHours(24) : Duration,
                Rounds = MyInvocation.BoundParameters.ContainsKey(nameof(Rounds)) ? Rounds : null,
                Pause = Pause,
                Stress = Stress,
                Concurrency = Concurrency,
                Http11 = HttpVersion == "1.1",
                MaxIdleConnectionsPerHost = MaxIdleConnectionsPerHost,
                SkipCertificateCheck = SkipCertificateCheck,
                TrustedRoots = LoadRoots(labCa ?? CertFileFromEnvironment()),
                BindAddress = ResolveBindAddress(),
                SystemRoot = SystemRoot,
                KeepConnectionRecords = PassThru,
                IsLocal = Lab || OnThisHost(proxy),
                MaxRequests = MyInvocation.BoundParameters.ContainsKey(nameof(MaxRequests)) ? MaxRequests : null,
                MaxRequestRate = MyInvocation.BoundParameters.ContainsKey(nameof(MaxRequestRate)) ? MaxRequestRate : null,
            };
            WriteVerbose(options.IsLocal || Stress
                ? $"{proxy} is {(options.IsLocal ? "on this host" : "not on this host, -Stress")}: no request budget or rate cap unless given."
                : $"{proxy} is not on this host: at most {options.MaxRequests ?? GuestPolicy.DefaultMaxRequests} requests, {options.MaxRequestRate ?? GuestPolicy.DefaultMaxRequestRate}/s on average.");
            return new RunSession(options, cleanup);
        }
        catch
        {
            cleanup();
            throw;
        }
    }

    /// <summary>
    /// -Lab: a default lab (Start-GoProxyLab's defaults) started with GoProxyLabLauncher, the one way to start a lab,
    /// owned by this runspace like any other; its Url and Modules for the run, its CA (CertificatePath) as the only
    /// trusted root, stopped after (also on Ctrl+C).
    /// </summary>
    private (GoProxyList Proxy, string[]? LabModules, Action Cleanup, string? Ca) StartLab()
    {
        WriteVerbose("Starting a default lab GOPROXY (Start-GoProxyLab).");
        var labAssembly = TestHook.LabAssembly.Read(SessionState);
        var lab = GoProxyLabLauncher.Start(new GoProxyLabOptions { SyntheticModules = GoProxyLabOptions.DefaultSyntheticModules },
            MyInvocation.MyCommand.Module?.ModuleBase, SessionOwner.Current, CancelToken, string.IsNullOrEmpty(labAssembly) ? null : labAssembly);
        SessionOwner.Watch();
        // Stopped through the registry, not a nested pipeline: after Ctrl+C no pipeline can run, and the lab must still go.
        void Stop() => GoProxyLabRegistry.Stop(lab);
        if (!GoProxyList.TryParse(lab.Url, out var list, out var problem))
        {
            Stop();
            throw new GoNetToolsException(ErrorIds.StabilityRunFailed, FailureKind.InvalidData, $"The lab's URL '{lab.Url}' is not usable: {problem}.", "Report this.");
        }
        WriteVerbose($"Lab GOPROXY at {lab.Url}, {lab.Modules.Length} modules.");
        return (list, lab.Modules, Stop, string.IsNullOrEmpty(lab.CertificatePath) ? null : lab.CertificatePath);
    }

    private (GoProxyList Proxy, string[]? LabModules, Action Cleanup, string? Ca) ResolveProxy()
    {
        if (Proxy is not null)
        {
            var list = GoProxyList.Parse(Proxy);
            if (list.FirstUrl is null)
            {
                throw new GoNetToolsException(ErrorIds.InvalidProxy, FailureKind.InvalidArgument,
                    $"-Proxy '{Proxy}' names no proxy URL (only '{list}'): there is nothing to test.", "Give a GOPROXY URL such as https://proxy.golang.org.");
            }
            return (list, null, static () => { }, null);
        }
        var env = SessionState.PSVariable.GetValue("env:GOPROXY") as string ?? Environment.GetEnvironmentVariable("GOPROXY");
        var (resolved, source) = ProxyResolver.Resolve(env, ProxyResolver.GoEnv, WriteWarning);
        WriteVerbose($"Testing {resolved} (from {source}).");
        return (resolved, null, static () => { }, null);
    }

    /// <summary>True when every proxy URL's host resolves to loopback or an address of this host.</summary>
    private static bool OnThisHost(GoProxyList proxy)
    {
        try
        {
            return proxy.Urls.All(u => (IPAddress.TryParse(u.IdnHost.Trim('[', ']'), out var ip) ? new[] { ip } : Dns.GetHostAddresses(u.IdnHost))
                .All(TimeWaitMonitor.IsLocal));
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>SSL_CERT_FILE, as the go tool reads it on Linux: when set, that PEM file holds the trusted roots (a lab's GoEnvironment sets it).</summary>
    private string? CertFileFromEnvironment()
    {
        var path = SessionState.PSVariable.GetValue("env:SSL_CERT_FILE") as string ?? Environment.GetEnvironmentVariable("SSL_CERT_FILE");
        if (string.IsNullOrEmpty(path) || SkipCertificateCheck)
        {
            return null;
        }
        if (!File.Exists(path))
        {
            WriteWarning($"SSL_CERT_FILE names '{path}', which does not exist; the system's trusted roots are used.");
            return null;
        }
        WriteVerbose($"Trusting the roots in SSL_CERT_FILE ({path}), as the go tool does.");
        return path;
    }

    private X509Certificate2Collection? LoadRoots(string? path)
    {
        if (path is null || SkipCertificateCheck)
        {
            return null;
        }
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            return roots;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            WriteWarning($"The certificates in '{path}' cannot be read ({e.Message}); the system's trusted roots are used.");
            return null;
        }
    }

    private GoModFile? ReadGoMod()
    {
        if (GoMod is null)
        {
            return null;
        }
        var path = GetUnresolvedProviderPathFromPSPath(GoMod);
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "go.mod");
        }
        if (!File.Exists(path))
        {
            throw new GoNetToolsException(ErrorIds.GoModNotFound, FailureKind.ObjectNotFound,
                $"-GoMod '{GoMod}' does not exist.", "Give the path of a go.mod file, or of the folder that holds it.");
        }
        var file = GoModFile.Parse(File.ReadAllText(path), path);
        if (file.Requires.Count == 0)
        {
            throw new GoNetToolsException(ErrorIds.InvalidGoMod, FailureKind.InvalidData,
                $"{path} requires no modules, so there is nothing to download.", "Use a go.mod with require lines, or name modules with -Module.");
        }
        return file;
    }

    private GoModule[] ResolveModules(string[]? labModules, bool haveGoMod)
    {
        var modules = new List<GoModule>();
        foreach (var text in Module ?? Array.Empty<string>())
        {
            if (!GoModule.TryParse(text, out var module))
            {
                throw new GoNetToolsException(ErrorIds.InvalidModule, FailureKind.InvalidArgument,
                    $"-Module '{text}' is not a module path, path@version or path@query.", "Use a form such as golang.org/x/text@v0.14.0, golang.org/x/text@latest or golang.org/x/text@v0.");
            }
            modules.Add(module);
        }
        if (modules.Count == 0 && !haveGoMod && labModules is { Length: > 0 })
        {
            modules.AddRange(labModules.Select(m => GoModule.TryParse(m, out var parsed) ? parsed : null).OfType<GoModule>());
        }
        return modules.Count > 0 || haveGoMod ? modules.Distinct().ToArray() : GoModule.Defaults;
    }

    /// <summary>-Adapter: the adapter's first IPv4 address, else its first IPv6 address that is not link-local.</summary>
    private IPAddress? ResolveBindAddress()
    {
        if (Adapter is null)
        {
            return null;
        }
        var adapter = Platform.AdapterLookup.Resolve(Platform.PlatformServices.Nic(SystemRoot), Adapter);
        var addresses = adapter.Addresses
            .Select(a => IPAddress.TryParse(a.Split('/')[0], out var ip) ? ip : null)
            .OfType<IPAddress>()
            .ToList();
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => !a.IsIPv6LinkLocal);
        if (chosen is null)
        {
            throw new GoNetToolsException(ErrorIds.AdapterHasNoAddress, FailureKind.ResourceUnavailable,
                $"The adapter '{adapter.Name}' has no IP address to bind to.", "Bring the adapter up with an address, or choose another with -Adapter (Get-NicAdapter lists them).");
        }
        WriteVerbose($"Binding outbound connections to {chosen} ({adapter.Name}).");
        return chosen;
    }
}
