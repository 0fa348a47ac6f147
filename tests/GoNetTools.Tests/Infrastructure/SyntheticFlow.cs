using System;
using System.Collections.Generic;
using System.Net;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// Scripts one TCP connection as IP packets with consistent sequence numbers: handshake, data each way
/// (split into segments), FIN or RST from either side. Each step advances the clock by <see cref="Step"/>.
/// </summary>
public sealed class SyntheticFlow
{
    private readonly IPAddress _client;
    private readonly IPAddress _server;
    private readonly int _clientPort;
    private readonly int _serverPort;
    private uint _clientSeq;
    private uint _serverSeq;

    public SyntheticFlow(IPAddress client, int clientPort, IPAddress server, int serverPort, DateTime start, uint clientIsn = 1000, uint serverIsn = 5000)
    {
        _client = client;
        _server = server;
        _clientPort = clientPort;
        _serverPort = serverPort;
        Time = start;
        _clientSeq = clientIsn;
        _serverSeq = serverIsn;
    }

    public DateTime Time { get; private set; }

    public TimeSpan Step { get; set; } = TimeSpan.FromMilliseconds(1);

    public List<(DateTime Time, byte[] Ip)> Packets { get; } = new();

    public uint ClientSeq => _clientSeq;

    public SyntheticFlow Handshake()
    {
        FromClient(_clientSeq++, 0, SyntheticPackets.Syn, default);
        FromServer(_serverSeq++, _clientSeq, SyntheticPackets.Syn | SyntheticPackets.Ack, default);
        FromClient(_clientSeq, _serverSeq, SyntheticPackets.Ack, default);
        return this;
    }

    public SyntheticFlow ClientSends(byte[] data, int segment = 1400)
    {
        for (var at = 0; at < data.Length; at += segment)
        {
            var part = data.AsSpan(at, Math.Min(segment, data.Length - at));
            FromClient(_clientSeq, _serverSeq, SyntheticPackets.Ack | SyntheticPackets.Psh, part);
            _clientSeq += (uint)part.Length;
        }
        return this;
    }

    public SyntheticFlow ServerSends(byte[] data, int segment = 1400)
    {
        for (var at = 0; at < data.Length; at += segment)
        {
            var part = data.AsSpan(at, Math.Min(segment, data.Length - at));
            FromServer(_serverSeq, _clientSeq, SyntheticPackets.Ack | SyntheticPackets.Psh, part);
            _serverSeq += (uint)part.Length;
        }
        return this;
    }

    public SyntheticFlow ClientFin()
    {
        FromClient(_clientSeq++, _serverSeq, SyntheticPackets.Fin | SyntheticPackets.Ack, default);
        return this;
    }

    public SyntheticFlow ServerFin()
    {
        FromServer(_serverSeq++, _clientSeq, SyntheticPackets.Fin | SyntheticPackets.Ack, default);
        return this;
    }

    public SyntheticFlow ClientAck()
    {
        FromClient(_clientSeq, _serverSeq, SyntheticPackets.Ack, default);
        return this;
    }

    public SyntheticFlow ClientRst()
    {
        FromClient(_clientSeq, _serverSeq, SyntheticPackets.Rst | SyntheticPackets.Ack, default);
        return this;
    }

    public SyntheticFlow ServerRst()
    {
        FromServer(_serverSeq, _clientSeq, SyntheticPackets.Rst | SyntheticPackets.Ack, default);
        return this;
    }

    /// <summary>A raw client segment at an explicit sequence number (retransmissions, probes, reordering).</summary>
    public SyntheticFlow ClientSegmentAt(uint seq, byte[] data, ushort window = 65535)
    {
        FromClient(seq, _serverSeq, SyntheticPackets.Ack | SyntheticPackets.Psh, data, window);
        return this;
    }

    /// <summary>Moves the client's next sequence number (after segments sent out of order by hand).</summary>
    public SyntheticFlow AdvanceClient(int bytes)
    {
        _clientSeq += (uint)bytes;
        return this;
    }

    private void FromClient(uint seq, uint ack, byte flags, ReadOnlySpan<byte> data, ushort window = 65535)
    {
        Packets.Add((Time, SyntheticPackets.Ip(_client, _clientPort, _server, _serverPort, seq, ack, flags, data, window)));
        Time += Step;
    }

    private void FromServer(uint seq, uint ack, byte flags, ReadOnlySpan<byte> data, ushort window = 65535)
    {
        Packets.Add((Time, SyntheticPackets.Ip(_server, _serverPort, _client, _clientPort, seq, ack, flags, data, window)));
        Time += Step;
    }
}
