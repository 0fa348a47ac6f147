using System;
using System.Collections.Generic;
using System.Net;
using GoNetTools.Analysis.Tcp;
using System.Runtime.CompilerServices;

namespace GoNetTools.Analysis;

/// <summary>Address text made once per distinct address (captures repeat few addresses many times).</summary>
internal sealed class EndpointText
{
    private readonly Dictionary<(UInt128, bool), string> _addresses = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Address(UInt128 value, bool v6)
    {
        if (!_addresses.TryGetValue((value, v6), out var text))
        {
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
            text = (v6 ? new IPAddress(bytes) : new IPAddress(bytes[12..])).ToString();
            _addresses[(value, v6)] = text;
        }
        return text;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Endpoint(string address, int port) =>
        address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port}" : $"{address}:{port}";

    /// <summary>(client address, client port, server address, server port) for a flow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (string ClientAddress, int ClientPort, string ServerAddress, int ServerPort) Sides(FlowState flow)
    {
        var k = flow.Key;
        var a = Address(k.A, k.IsIPv6);
        var b = Address(k.B, k.IsIPv6);
        return flow.ClientIsA ? (a, k.PortA, b, k.PortB) : (b, k.PortB, a, k.PortA);
    }
}
