using System.Linq;
using System.Net;
using System.Net.Sockets;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// Plain TCP churn captured with tcpdump on loopback: connections closed by the client first, by the server
/// first, one ended by a RST, one over IPv6. Get-TcpFlow must agree with tshark and with what the test did.
/// </summary>
[Trait("Category", Category.Tshark)]
[Trait("Category", Category.Root)]
public sealed class TcpChurnCaptureTests
{
    private const int ClientClosesFirst = 6;
    private const int ServerClosesFirst = 4;

    [SkippableFact]
    public void Flows_match_tshark_and_who_closed_first()
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var capture = new LoopbackCapture($"tcp port {port}", "pcapng");
        for (var i = 0; i < ClientClosesFirst; i++)
        {
            Exchange(listener, IPAddress.Loopback, port, clientFirst: true);
        }
        for (var i = 0; i < ServerClosesFirst; i++)
        {
            Exchange(listener, IPAddress.Loopback, port, clientFirst: false);
        }
        Exchange(listener, IPAddress.IPv6Loopback, port, clientFirst: true);
        Reset(listener, port);
        var file = capture.Stop();

        using var ps = new ModuleRunspace();
        var result = ps.Invoke("Get-TcpFlow -LiteralPath $f", new System.Collections.Generic.Dictionary<string, object?> { ["f"] = file });
        Assert.Empty(result.AllErrors);
        var flows = result.Objects<TcpFlow>().ToList();
        var expected = ClientClosesFirst + ServerClosesFirst + 2;
        Assert.Equal(expected, Tshark.TcpConversations(file));
        Assert.Equal(expected, flows.Count);
        Assert.All(flows, f => Assert.Equal(port, f.ServerPort));
        Assert.All(flows, f => Assert.False(f.MidStream));
        Assert.All(flows, f => Assert.NotNull(f.HandshakeRtt));
        Assert.Equal(ClientClosesFirst + 1, flows.Count(f => f.TimeWaitHolder == FlowSide.Client));
        Assert.Equal(ServerClosesFirst, flows.Count(f => f.TimeWaitHolder == FlowSide.Server));
        // One connection carries RSTs (the kernel may answer a late segment with a second one).
        var resetStreams = Tshark.Fields(file, "tcp.flags.reset==1", "", "tcp.stream").Select(r => r[0]).Distinct().Count();
        Assert.Equal(1, resetStreams);
        var reset = Assert.Single(flows, f => f.ResetBy != FlowSide.None);
        Assert.Equal(FlowSide.Client, reset.ResetBy);
        Assert.Equal(FlowSide.None, reset.TimeWaitHolder);
        Assert.Single(flows, f => f.ClientAddress == "::1");
        Assert.All(flows.Where(f => f.ResetBy == FlowSide.None), f => Assert.Equal(5, f.BytesToServer));
        // Packet counts per flow equal tshark's frame count for the same tuple.
        var tsharkFrames = Tshark.Count(file, "tcp");
        Assert.Equal(tsharkFrames, flows.Sum(f => f.PacketsToServer + f.PacketsToClient));
    }

    private static void Exchange(TcpListener listener, IPAddress address, int port, bool clientFirst)
    {
        using var client = new TcpClient(address.AddressFamily);
        client.Connect(address, port);
        using var server = listener.AcceptTcpClient();
        client.GetStream().Write("hello"u8);
        var buffer = new byte[16];
        var read = server.GetStream().Read(buffer);
        Assert.Equal(5, read);
        var (first, second) = clientFirst ? (client, server) : (server, client);
        first.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, second.Client.Receive(buffer)); // the FIN arrived
        second.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, first.Client.Receive(buffer));
    }

    private static void Reset(TcpListener listener, int port)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, port);
        using var server = listener.AcceptTcpClient();
        client.LingerState = new LingerOption(true, 0); // close with RST instead of FIN
        client.Close();
        var buffer = new byte[16];
        try
        {
            server.Client.Receive(buffer); // 0 or ECONNRESET: either way the RST is on the wire
        }
        catch (SocketException)
        {
        }
    }
}
