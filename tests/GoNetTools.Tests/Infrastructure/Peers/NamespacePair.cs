using System;
using System.Collections.Generic;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>
/// Two network namespaces joined by a veth pair, so a test has "a proxy that is not on this host": the server
/// (nginx, the Go peer) listens in <see cref="Server"/> on <see cref="ServerAddress"/>, the client (`go`, the
/// gonettools host) runs in <see cref="Client"/> and reaches it over the veth from <see cref="ClientAddress"/>.
/// Neither is loopback for the client. Both namespaces (and the veth with them) go on dispose.
/// </summary>
public sealed class NamespacePair : IDisposable
{
    public const string ClientAddress = "10.77.0.1";
    public const string ServerAddress = "10.77.0.2";
    public const int PrefixLength = 30;
    public const string ClientInterface = "gnt-c0";
    public const string ServerInterface = "gnt-s0";

    public NamespacePair()
    {
        Client = new NetNamespace("gnt-cli");
        try
        {
            Server = new NetNamespace("gnt-srv");
            // Created straight inside the two namespaces: no interface name ever appears in the host's namespace.
            Shell.Run("ip", $"link add name {ClientInterface} netns {Client.Name} type veth peer name {ServerInterface} netns {Server.Name}");
            Client.Exec($"ip addr add {ClientAddress}/{PrefixLength} dev {ClientInterface}");
            Server.Exec($"ip addr add {ServerAddress}/{PrefixLength} dev {ServerInterface}");
            Client.Exec($"ip link set {ClientInterface} up");
            Server.Exec($"ip link set {ServerInterface} up");
        }
        catch
        {
            Server?.Dispose();
            Client.Dispose();
            throw;
        }
    }

    public NetNamespace Client { get; }

    public NetNamespace Server { get; }

    /// <summary>Runs the gonettools host (a real pwsh with the module) inside the client namespace.</summary>
    public (int ExitCode, string Stdout, string Stderr) RunHost(string script, IDictionary<string, string>? environment = null, int timeoutMs = 120_000) =>
        GoNetToolsHost.Run(script, Client, timeoutMs, environment);

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
