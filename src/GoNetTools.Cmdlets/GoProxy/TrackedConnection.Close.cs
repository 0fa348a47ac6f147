using System;
using System.Net.Sockets;

namespace GoNetTools.GoProxy;

/// <summary>Who closed first: the first FIN or RST this socket saw, and the TCP state when we close.</summary>
internal sealed partial class TrackedConnection
{
    // tcpi_state values (include/net/tcp_states.h).
    private const byte TcpEstablished = 1, TcpFinWait1 = 4, TcpFinWait2 = 5, TcpTimeWait = 6, TcpClose = 7, TcpCloseWait = 8, TcpLastAck = 9, TcpClosing = 11;

    /// <summary>Closed as Client on a CLOSE state read right after our shutdown; settled by <see cref="SettleCloser"/>.</summary>
    public bool AmbiguousClose { get; private set; }

    /// <summary>When the ambiguous close happened: only a socket table read after it can settle it.</summary>
    public long AmbiguousSince { get; private set; }

    /// <summary>Our TIME_WAIT socket is there: we closed first; it is not: the server's FIN came first.</summary>
    public void SettleCloser(bool ourTimeWaitExists)
    {
        if (!AmbiguousClose)
        {
            return;
        }
        AmbiguousClose = false;
        lock (Record)
        {
            Record.ClosedBy = ourTimeWaitExists ? ConnectionCloser.Client : ConnectionCloser.Server;
        }
    }

    /// <summary>Closes the socket under whoever uses it (the handshake in progress fails).</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        FirstClose(ConnectionCloser.Client);
        _socket.Dispose();
    }

    /// <summary>We are closing: whoever's FIN (or RST) our kernel saw first, else ours goes out now.</summary>
    private void DecideCloserAtClose()
    {
        if (!OperatingSystem.IsLinux())
        {
            FirstClose(PeerSentFin() ? ConnectionCloser.Server : ConnectionCloser.Client);
            return;
        }
        var state = Snapshot();
        if (state is TcpCloseWait or TcpLastAck)
        {
            FirstClose(ConnectionCloser.Server);
            return;
        }
        if (state == TcpClose)
        {
            FirstClose(ConnectionCloser.Aborted);
            return;
        }
        if (state == TcpEstablished)
        {
            // Shut our side first and ask again. A server FIN that slipped in just before our shutdown leaves us in
            // LAST_ACK; ours first shows as FIN_WAIT1/2, CLOSING, or — the whole exchange done, as on loopback — CLOSE:
            // Linux hands the connection to a TIME_WAIT mini-socket and marks this one CLOSE (tcp_time_wait).
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The socket is already gone.
            }
            var after = Snapshot();
            // CLOSE is also where a server FIN that slipped in just before our shutdown ends (LAST_ACK, then its ACK):
            // only a TIME_WAIT socket left on our side tells the two apart, and the engine looks for it on its next tick.
            AmbiguousClose = after == TcpClose;
            AmbiguousSince = System.Diagnostics.Stopwatch.GetTimestamp();
            FirstClose(after is TcpLastAck or TcpCloseWait ? ConnectionCloser.Server
                : after is TcpFinWait1 or TcpFinWait2 or TcpClosing or TcpTimeWait or TcpClose ? ConnectionCloser.Client
                : ConnectionCloser.Aborted);
            return;
        }
        FirstClose(state is TcpFinWait1 or TcpFinWait2 or TcpClosing or TcpTimeWait ? ConnectionCloser.Client : ConnectionCloser.Aborted);
    }

    /// <summary>Readable with nothing to read: the peer's FIN is queued (any OS).</summary>
    private bool PeerSentFin()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The first FIN/RST decides; later ones change nothing.</summary>
    private void FirstClose(ConnectionCloser closer)
    {
        lock (Record)
        {
            if (Record.ClosedBy == ConnectionCloser.Open)
            {
                Record.ClosedBy = closer;
            }
        }
    }
}
