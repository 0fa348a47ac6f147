using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using GoNetTools.GoProxy;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// A real nginx (Debian's 1.22, built --with-debug and http_v2) serving a docroot (a <see cref="ModuleTree"/>'s
/// DownloadDir) as a GOPROXY, with a config the test writes into a private prefix directory (never /etc/nginx):
/// `nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'`, its own pid file, logs and temp paths, on loopback or inside a
/// network namespace. Reload, freeze (SIGSTOP), thaw, kill (SIGKILL); dispose kills it and removes the directory.
/// </summary>
public sealed class NginxPeer : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly PeerProcess _process;

    private NginxPeer(string dir, NginxOptions options, PeerCertificates certificates, int port, PeerProcess process)
    {
        Directory = dir;
        Options = options;
        Certificates = certificates;
        Port = port;
        _process = process;
    }

    public NginxOptions Options { get; }

    /// <summary>The private prefix directory: nginx.conf, nginx.pid, access.log, error.log, tmp/.</summary>
    public string Directory { get; }

    public PeerCertificates Certificates { get; }

    public int Port { get; }

    public Uri Url => new($"{(Options.Tls ? "https" : "http")}://{Authority}");

    public string Authority => (Options.Address.Contains(':') ? $"[{Options.Address}]" : Options.Address) + ":" + Port;

    public string ConfigPath => Path.Combine(Directory, "nginx.conf");

    public string AccessLogPath => Path.Combine(Directory, "access.log");

    public string ErrorLogPath => Path.Combine(Directory, "error.log");

    /// <summary>The master process (workers are its children).</summary>
    public int MasterPid => _process.Id;

    public IReadOnlyList<int> WorkerPids => PeerProcess.Children(MasterPid);

    /// <summary>
    /// What `go` needs to use this nginx and nothing else: GOPROXY, SSL_CERT_FILE (the test CA), GOSUMDB=off,
    /// GOENV=off, GOTOOLCHAIN=local, GOFLAGS (the lab's <see cref="GoProxyLabOptions.GoEnvironment"/>).
    /// </summary>
    public Hashtable GoEnvironment => GoProxyLabOptions.GoEnvironment(Url.ToString().TrimEnd('/'), Options.Tls ? Certificates.CaPath : null);

    public static NginxPeer Start(string docroot, NginxOptions? options = null)
    {
        options ??= new NginxOptions();
        var certificates = options.Certificates ?? PeerCertificates.Shared;
        Requires.Need(File.Exists(Binary), $"{Binary} is missing: apt-get install nginx (scripts/setup.sh installs it)");
        // A free loopback port can be taken by someone else between probe and bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : options.Namespace is not null ? (options.Tls ? 443 : 80) : FreeLoopbackPort(options.Address);
            var dir = PeerRun.NewDirectory("gnt-nginx-");
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "tmp"));
            PeerRun.WriteNew(Path.Combine(dir, "nginx.conf"), options.Config(dir, docroot, port, certificates));
            var process = PeerProcess.Start(Binary, new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-g", "daemon off;" }, options.Namespace);
            var peer = new NginxPeer(dir, options, certificates, port, process);
            if (peer.WaitListening(TimeSpan.FromSeconds(15)))
            {
                return peer;
            }
            var output = process.Output + string.Join('\n', PeerRun.ReadLines(peer.ErrorLogPath).TakeLast(20));
            peer.Dispose();
            if (attempt >= 3 || !output.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"nginx did not listen on {options.Address}:{port}: {output}");
            }
        }
    }

    /// <summary>
    /// `nginx -s reload` with this peer's prefix and config: the master starts new workers, the old ones finish
    /// gracefully (HTTP/2: one GOAWAY, see the README). Returns once a new worker runs.
    /// </summary>
    public void Reload()
    {
        var before = WorkerPids.ToHashSet();
        var arguments = $"-p {Directory} -c {ConfigPath} -s reload";
        var (code, _, stderr) = Options.Namespace is { } ns ? ns.TryExec($"{Binary} {arguments}") : Shell.TryRun(Binary, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"nginx -s reload exited {code}: {stderr}");
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!WorkerPids.Any(p => !before.Contains(p)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("nginx started no new worker within 15 s of the reload");
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>SIGSTOP master and workers: TCP still connects (the kernel's backlog), TLS never completes.</summary>
    public void Freeze() => _process.Freeze();

    public void Thaw() => _process.Thaw();

    /// <summary>SIGKILL master and workers: connects are refused from then on.</summary>
    public void Kill() => _process.Kill();

    /// <summary>The access log now; with <paramref name="atLeast"/>, waits (up to 10 s) until that many lines are written.</summary>
    public NginxAccessLog AccessLog(int atLeast = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var log = NginxAccessLog.Read(AccessLogPath);
            if (log.Requests.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return log;
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>GOAWAY and RST_STREAM frames nginx logged sending (needs <see cref="NginxOptions.DebugLog"/>).</summary>
    public NginxDebugLog DebugLog() =>
        Options.DebugLog ? NginxDebugLog.Read(ErrorLogPath) : throw new InvalidOperationException("start the peer with DebugLog = true to count frames");

    public void Dispose()
    {
        _process.Dispose();
        PeerRun.TryDelete(Directory);
    }

    /// <summary>True once the port is in LISTEN (asked of `ss`, so no probe connection shows up in counts).</summary>
    private bool WaitListening(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var query = $"ss -Hltnp sport = :{Port}";
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            var (code, stdout, _) = Options.Namespace is { } ns ? ns.TryExec(query) : Shell.TryRun("ss", query[3..]);
            if (code == 0 && stdout.Contains("\"nginx\"", StringComparison.Ordinal) && WorkerPids.Count > 0)
            {
                return true;
            }
            Thread.Sleep(30);
        }
        return false;
    }

    /// <summary>A port the kernel just gave to a bound-then-closed socket.</summary>
    public static int FreeLoopbackPort(string address = "127.0.0.1")
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
