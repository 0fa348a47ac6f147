using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;

namespace GoNetTools.Workstation.NetworkLoad;

/// <summary>
/// UDP echo over loopback: a responder thread of ours answers every datagram, a sender stamps a sequence number and
/// the send time, a receiver matches answers. Every packet goes through the kernel's loopback path (netif_rx → the
/// per-CPU backlog → NET_RX softirq), so backlog drops and late softirqs show here as they would for a NIC's packets,
/// and the probe threads compete for CPUs with the compile as any program would.
/// </summary>
internal sealed class UdpEchoProbe : IProbe
{
    private readonly Socket _responder = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Stopwatch _clock;

    public UdpEchoProbe(Stopwatch clock)
    {
        _clock = clock;
        _responder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _client.Connect(_responder.LocalEndPoint!);
        _client.ReceiveTimeout = 200;
        _responder.ReceiveTimeout = 200;
    }

    public string Description { get; private set; } = "";

    public void Run(ProbeLog log, TimeSpan interval, CancellationToken stop)
    {
        Description = $"UDP echo {_responder.LocalEndPoint} every {interval.TotalMilliseconds:0.#} ms";
        var responder = new Thread(() => Echo(stop)) { IsBackground = true, Name = "GoNetTools echo responder" };
        var receiver = new Thread(() => Receive(log, stop)) { IsBackground = true, Name = "GoNetTools echo receiver" };
        responder.Start();
        receiver.Start();
        var payload = new byte[16];
        var next = _clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            var sequence = log.Sent();
            BinaryPrimitives.WriteInt32BigEndian(payload, sequence);
            BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), _clock.Elapsed.Ticks);
            try
            {
                _client.Send(payload);
            }
            catch (SocketException)
            {
                // ENOBUFS under pressure: the probe is lost, as it would be on the wire.
            }
            next += interval;
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                stop.WaitHandle.WaitOne(wait);
            }
        }
        responder.Join();
        receiver.Join();
    }

    private void Echo(CancellationToken stop)
    {
        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var n = _responder.ReceiveFrom(buffer, ref from);
                _responder.SendTo(buffer.AsSpan(0, n), from);
            }
            catch (SocketException)
            {
                // Receive timeout: look at the stop flag again.
            }
        }
    }

    private void Receive(ProbeLog log, CancellationToken stop)
    {
        var buffer = new byte[64];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_client.Receive(buffer) >= 16)
                {
                    var sent = new TimeSpan(BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(8)));
                    log.Answered(BinaryPrimitives.ReadInt32BigEndian(buffer), _clock.Elapsed - sent);
                }
            }
            catch (SocketException)
            {
                // Receive timeout.
            }
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _responder.Dispose();
    }
}

/// <summary>
/// ICMP echo to a host on an adapter's network (its gateway by default): the path through the NIC and its driver.
/// Each echo is sent on schedule without waiting for the one before (System.Net.NetworkInformation.Ping: a raw
/// socket as root, the ping utility otherwise); the round trip is timed by us, so it includes our own scheduling.
/// </summary>
internal sealed class IcmpProbe : IProbe
{
    private static readonly byte[] Payload = new byte[32];
    private readonly IPAddress _target;
    private readonly string _via;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _timeout;

    public IcmpProbe(IPAddress target, string via, Stopwatch clock, TimeSpan timeout)
    {
        _target = target;
        _via = via;
        _clock = clock;
        _timeout = timeout;
    }

    public string Description { get; private set; } = "";

    public void Run(ProbeLog log, TimeSpan interval, CancellationToken stop)
    {
        Description = $"ICMP echo {_target}{(_via.Length > 0 ? " via " + _via : "")} every {interval.TotalMilliseconds:0.#} ms";
        var next = _clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            var sequence = log.Sent();
            var sent = _clock.Elapsed;
            var ping = new Ping();
            ping.SendPingAsync(_target, (int)_timeout.TotalMilliseconds, Payload).ContinueWith(task =>
            {
                if (task.IsCompletedSuccessfully && task.Result.Status == IPStatus.Success)
                {
                    log.Answered(sequence, _clock.Elapsed - sent);
                }
                ping.Dispose();
            }, System.Threading.Tasks.TaskScheduler.Default);
            next += interval;
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                stop.WaitHandle.WaitOne(wait);
            }
        }
    }

    public void Dispose()
    {
    }
}
