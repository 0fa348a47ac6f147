using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Module;

/// <summary>
/// A fleet, for real: three hosts (network namespaces h1, h2, h3, each running Debian's sshd with the PowerShell
/// SSH subsystem pointing at out/pwsh/gonettools) on a bridge, and a controller namespace that runs
/// `Invoke-Command -HostName h1,h2,h3 -ScriptBlock { Get-TcpTimeWait }`. Each host holds its own TIME_WAIT sockets
/// (3, 5 and 7, made by the test); the rows must come back tagged with PSComputerName, grouped to those counts, and
/// equal to what `ss` lists inside each namespace. sshd config, host keys, the client key, known_hosts and the
/// hosts file live in this test's private temp dir; sshd and the client run in private mount namespaces (a tmpfs
/// /run for sshd's privilege-separation dir, a bind-mounted /etc/hosts for the names), so /etc and ~/.ssh are
/// never touched. Needs root, iproute2, openssh-server and openssh-client (scripts/setup.sh installs them).
/// </summary>
[Trait("Category", Category.Root)]
[Trait("Category", "Netns")]
[Trait("Category", "Sshd")]
public sealed class FleetTests : IDisposable
{
    private const int TimeWaitPort = 7001;
    private static readonly (string Name, string Address, int TimeWaits)[] Hosts =
        { ("h1", "10.77.0.11", 3), ("h2", "10.77.0.12", 5), ("h3", "10.77.0.13", 7) };

    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-fleet-").FullName;
    private readonly List<NetNamespace> _namespaces = new();
    private readonly List<Process> _daemons = new();
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FleetTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void Invoke_Command_across_three_sshd_hosts_returns_each_hosts_own_time_wait_sockets()
    {
        var bridge = Namespace("gnt-br");
        bridge.Exec("ip link add br0 type bridge");
        bridge.Exec("ip link set br0 up");
        var controller = Namespace("gnt-ctl");
        Join(bridge, controller, "vctl", "10.77.0.10");
        var hostNs = new Dictionary<string, NetNamespace>();
        foreach (var (name, address, _) in Hosts)
        {
            hostNs[name] = Namespace("gnt-" + name);
            Join(bridge, hostNs[name], "v" + name, address);
        }

        Shell.Run("ssh-keygen", $"-q -t ed25519 -N \"\" -C gnt-fleet-client -f {_dir}/client_key");
        File.Copy($"{_dir}/client_key.pub", $"{_dir}/authorized_keys");
        var knownHosts = new List<string>();
        var etcHosts = new List<string> { "127.0.0.1 localhost" };
        foreach (var (name, address, _) in Hosts)
        {
            Shell.Run("ssh-keygen", $"-q -t ed25519 -N \"\" -C {name} -f {_dir}/{name}_host_key");
            var publicKey = File.ReadAllText($"{_dir}/{name}_host_key.pub").Split(' ');
            knownHosts.Add($"{name} {publicKey[0]} {publicKey[1]}");
            etcHosts.Add($"{address} {name}");
            StartSshd(hostNs[name], name, address);
        }
        File.WriteAllLines($"{_dir}/known_hosts", knownHosts);
        File.WriteAllLines($"{_dir}/hosts", etcHosts);

        // Each host's own TIME_WAIT sockets, on its own loopback, made last: they live 60 s.
        var expected = new Dictionary<string, SortedSet<string>>();
        foreach (var (name, _, count) in Hosts)
        {
            hostNs[name].Inside(() => TimeWaitFactory.Create(new[] { (new IPEndPoint(IPAddress.Loopback, TimeWaitPort), count) }));
            expected[name] = SsTimeWait(hostNs[name]);
            Assert.Equal(count, expected[name].Count); // the witness sees what the test made
        }

        File.WriteAllText($"{_dir}/fleet.ps1", $$"""
            $options = @{ UserKnownHostsFile = '{{_dir}}/known_hosts'; GlobalKnownHostsFile = '/dev/null'
                          StrictHostKeyChecking = 'yes'; IdentitiesOnly = 'yes'; BatchMode = 'yes' }
            $rows = Invoke-Command -HostName h1, h2, h3 -UserName root -KeyFilePath '{{_dir}}/client_key' -Options $options -ScriptBlock { Get-TcpTimeWait }
            foreach ($row in $rows) {
                'ROW {0} {1} {2}:{3}->{4}:{5} {6}' -f $row.PSComputerName, $row.PSObject.TypeNames[0], $row.LocalAddress, $row.LocalPort, $row.RemoteAddress, $row.RemotePort, $row.State
            }
            $rows | Group-Object PSComputerName | Sort-Object Name | ForEach-Object { 'GROUP {0}={1}' -f $_.Name, $_.Count }
            $rows | Where-Object State -EQ TimeWait | Measure-Object | ForEach-Object { 'FILTERED {0}' -f $_.Count }
            $rows | Select-Object -First 1 | Format-Table | Out-String -Width 200
            """);
        var (code, stdout, stderr) = controller.TryExec(
            $"unshare -m --propagation private sh -c \"mount --bind {_dir}/hosts /etc/hosts && exec '{Repo.Host}' -NoProfile -NonInteractive -File {_dir}/fleet.ps1\"",
            180_000);
        _output.WriteLine(stdout);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");

        var groups = stdout.Split('\n').Where(l => l.StartsWith("GROUP ", StringComparison.Ordinal)).Select(l => l[6..].Trim()).ToList();
        Assert.Equal(new[] { "h1=3", "h2=5", "h3=7" }, groups);
        Assert.Contains("FILTERED 15", stdout); // the state arrives as a name, so filtering by it works
        var rows = stdout.Split('\n').Where(l => l.StartsWith("ROW ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')).ToList();
        Assert.All(rows, r => Assert.Equal("Deserialized.GoNetTools.TcpConnection", r[2]));
        Assert.All(rows, r => Assert.Equal("TimeWait", r[4]));
        foreach (var (name, _, _) in Hosts)
        {
            var theirs = new SortedSet<string>(rows.Where(r => r[1] == name).Select(r => r[3]), StringComparer.Ordinal);
            Assert.Equal(expected[name], theirs); // tuple for tuple what ss lists in that namespace
        }
        Assert.Contains("TimeWait", stdout.Split("GROUP h3=7")[1]); // the table view renders the remote rows
    }

    private NetNamespace Namespace(string prefix)
    {
        var ns = new NetNamespace(prefix);
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>A veth pair made inside the bridge namespace, its far end moved into <paramref name="member"/> as eth0.</summary>
    private static void Join(NetNamespace bridge, NetNamespace member, string port, string address)
    {
        bridge.Exec($"ip link add {port} type veth peer name eth0 netns {member.Name}");
        bridge.Exec($"ip link set {port} master br0 up");
        member.Exec($"ip addr add {address}/24 dev eth0");
        member.Exec("ip link set eth0 up");
    }

    private void StartSshd(NetNamespace ns, string name, string address)
    {
        var config = $"{_dir}/{name}_sshd_config";
        File.WriteAllText(config, $"""
            Port 22
            ListenAddress {address}
            HostKey {_dir}/{name}_host_key
            PidFile {_dir}/{name}_sshd.pid
            AuthorizedKeysFile {_dir}/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            LogLevel ERROR
            Subsystem powershell {Repo.Host} -sshs -NoLogo -NoProfile
            """);
        // sshd wants its privilege-separation dir /run/sshd: a tmpfs /run in its own mount namespace provides it.
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name, "unshare", "-m", "--propagation", "private", "sh", "-c",
                     $"mount -t tmpfs tmpfs /run && mkdir -m 0755 /run/sshd && exec /usr/sbin/sshd -D -e -f {config}" })
        {
            start.ArgumentList.Add(a);
        }
        var daemon = Process.Start(start)!;
        _daemons.Add(daemon);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ns.Exec("ss -Htln sport = :22").Contains(":22", StringComparison.Ordinal))
        {
            if (daemon.HasExited)
            {
                Assert.Fail($"sshd in {name} exited {daemon.ExitCode}: {daemon.StandardError.ReadToEnd()}");
            }
            Assert.True(DateTime.UtcNow < deadline, $"sshd in {name} did not listen within 30 s");
            System.Threading.Thread.Sleep(100);
        }
    }

    /// <summary>`ss -tan state time-wait` inside the namespace, as local->remote tuples.</summary>
    private static SortedSet<string> SsTimeWait(NetNamespace ns)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in ns.Exec("ss -Htan state time-wait").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            set.Add($"{f[^2]}->{f[^1]}");
        }
        return set;
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            try
            {
                daemon.Kill(entireProcessTree: true);
                daemon.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            daemon.Dispose();
        }
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
