using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// Makes real TIME_WAIT sockets: connects to a listener and closes the client first, so the client side holds
/// TIME_WAIT for 60 s (Linux). Run it on a thread inside a network namespace (NetNamespace.Inside).
/// </summary>
public static class TimeWaitFactory
{
    /// <summary>Creates <paramref name="count"/> TIME_WAIT sockets toward each listener endpoint given.</summary>
    public static int Create(IEnumerable<(IPEndPoint Listener, int Count)> plan)
    {
        // Bind every listener before the first connect: an ephemeral port in TIME_WAIT would block a later bind.
        var listeners = new List<(Socket Listener, IPEndPoint Endpoint, int Count)>();
        foreach (var (endpoint, count) in plan)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(1024);
            listeners.Add((socket, endpoint, count));
        }
        int made = 0;
        var buffer = new byte[1];
        foreach (var (listener, endpoint, count) in listeners)
        {
            using var owned = listener;
            for (int i = 0; i < count; i++)
            {
                using var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(endpoint);
                using var server = listener.Accept();
                client.Close();          // client sends FIN first: the client side will hold TIME_WAIT
                server.Receive(buffer);  // wait for that FIN, then the server's close completes the handshake
                server.Close();
                made++;
            }
        }
        return made;
    }
}
