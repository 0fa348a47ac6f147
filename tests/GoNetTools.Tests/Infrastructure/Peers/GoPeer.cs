using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using GoNetTools.GoProxy;
using Xunit;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>How a test wants its Go net/http GOPROXY.</summary>
public sealed record GoPeerOptions
{
    /// <summary>No h2 in ALPN: the standard server speaks HTTP/1.1 only.</summary>
    public bool Http1Only { get; init; }

    /// <summary>http.Server.IdleTimeout (HTTP/2: a GOAWAY when it fires). Null: none.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    public string Address { get; init; } = "127.0.0.1";

    /// <summary>0: the kernel picks (loopback); inside a namespace, 443.</summary>
    public int Port { get; init; }

    public NetNamespace? Namespace { get; init; }

    /// <summary>Null: <see cref="PeerCertificates.Shared"/>.</summary>
    public PeerCertificates? Certificates { get; init; }
}

/// <summary>
/// A GOPROXY made of Go's own net/http server (goproxy-peer.go beside this file, built once per test run with
/// Debian's go 1.19, standard library only): http.FileServer over a docroot, TLS with HTTP/2 by ALPN as the
/// standard server does it, a request log with connection ids and per-connection counts, and a TLS key log so
/// tshark can decode its frames. <see cref="Shutdown"/> calls srv.Shutdown() (SIGUSR1) mid-run.
/// </summary>
public sealed class GoPeer : IDisposable
{
    private static readonly Lazy<string> BuiltBinary = new(Build);
    private readonly PeerProcess _process;

    private GoPeer(string dir, GoPeerOptions options, PeerCertificates certificates, string authority, PeerProcess process)
    {
        Directory = dir;
        Options = options;
        Certificates = certificates;
        Authority = authority;
        _process = process;
    }

    /// <summary>The Go peer binary, built on first use in this run.</summary>
    public static string Binary => BuiltBinary.Value;

    public GoPeerOptions Options { get; }

    public string Directory { get; }

    public PeerCertificates Certificates { get; }

    /// <summary>host:port the server listens on.</summary>
    public string Authority { get; }

    public Uri Url => new("https://" + Authority);

    public int Port => new Uri("https://" + Authority).Port;

    public int Pid => _process.Id;

    public string LogPath => Path.Combine(Directory, "requests.log");

    /// <summary>NSS key log of every TLS session: `tshark -o tls.keylog_file:PATH` decrypts the capture.</summary>
    public string KeyLogPath => Path.Combine(Directory, "tls-keys.log");

    /// <summary>What `go` needs to use this server and nothing else (see <see cref="NginxPeer.GoEnvironment"/>).</summary>
    public Hashtable GoEnvironment => GoProxyLabOptions.GoEnvironment(Url.ToString().TrimEnd('/'), Certificates.CaPath);

    public static GoPeer Start(string docroot, GoPeerOptions? options = null)
    {
        Requires.Tool("go", "apt-get install golang-go");
        options ??= new GoPeerOptions();
        var certificates = options.Certificates ?? PeerCertificates.Shared;
        var binary = Binary;
        var dir = PeerRun.NewDirectory("gnt-gopeer-");
        var port = options.Port != 0 ? options.Port : options.Namespace is not null ? 443 : 0;
        var host = options.Address.Contains(':') ? $"[{options.Address}]" : options.Address;
        var arguments = new List<string>
        {
            "-addr", $"{host}:{port}", "-root", docroot, "-cert", certificates.CertificatePath, "-key", certificates.KeyPath,
            "-log", Path.Combine(dir, "requests.log"), "-keylog", Path.Combine(dir, "tls-keys.log"),
        };
        if (options.Http1Only)
        {
            arguments.Add("-http1");
        }
        if (options.IdleTimeout is TimeSpan idle)
        {
            arguments.AddRange(new[] { "-idle", $"{(long)idle.TotalMilliseconds}ms" });
        }
        var process = PeerProcess.Start(binary, arguments, options.Namespace);
        var line = process.WaitForLine("listening ", TimeSpan.FromSeconds(15));
        if (line is null)
        {
            var output = process.Output;
            process.Dispose();
            PeerRun.TryDelete(dir);
            throw new InvalidOperationException("the Go peer did not start: " + output);
        }
        return new GoPeer(dir, options, certificates, line["listening ".Length..].Trim(), process);
    }

    /// <summary>srv.Shutdown() in the server (SIGUSR1): listeners close, HTTP/2 connections get a GOAWAY.</summary>
    public void Shutdown() => _process.Signal(PeerProcess.SIGUSR1);

    /// <summary>Waits until Shutdown() has returned in the server (its log says "shutdown end").</summary>
    public bool WaitShutdownEnd(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Log().ShutdownEnd is not null)
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }

    public void Freeze() => _process.Freeze();

    public void Thaw() => _process.Thaw();

    public void Kill() => _process.Kill();

    public GoPeerLog Log() => GoPeerLog.Read(LogPath);

    /// <summary>The log once it holds at least <paramref name="requests"/> requests (waits up to 10 s).</summary>
    public GoPeerLog Log(int requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var log = Log();
            if (log.Requests.Count >= requests || DateTime.UtcNow > deadline)
            {
                return log;
            }
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        PeerRun.TryDelete(Directory);
    }

    private static string Build()
    {
        var source = Path.Combine(Repo.Root, "tests", "GoNetTools.Tests", "Infrastructure", "Peers", "goproxy-peer.go");
        var work = System.IO.Directory.CreateDirectory(Path.Combine(PeerRun.Root, "gopeer-src")).FullName;
        File.Copy(source, Path.Combine(work, "main.go"));
        PeerRun.WriteNew(Path.Combine(work, "go.mod"), "module gonettools.test/goproxypeer\n\ngo 1.19\n");
        var output = Path.Combine(PeerRun.Root, "goproxy-peer");
        using var go = new GoTool();
        var env = new Hashtable(StringComparer.Ordinal) { ["GOPROXY"] = "off", ["GOFLAGS"] = "-mod=mod", ["GOTOOLCHAIN"] = "local", ["GOENV"] = "off" };
        // With a C compiler go 1.19 links Debian's precompiled standard library (about 3 s); without one, cgo must be
        // off, and net, crypto/tls and net/http are compiled from source (about 20 s, more on a loaded machine).
        if (!File.Exists("/usr/bin/gcc") && !File.Exists("/usr/bin/cc"))
        {
            env["CGO_ENABLED"] = "0";
        }
        var (code, stdout, stderr) = go.Run($"build -o {output} .", env, work, timeoutMs: 300_000);
        Assert.True(code == 0, $"go build of the Go peer failed ({code}): {stderr}\n{stdout}");
        return output;
    }
}
