using System;
using System.Collections.Generic;
using System.Net;
using GoNetTools.Fuzz;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.Analysis;

/// <summary>
/// A short fuzzing campaign in-process: random bytes and mutations of valid hellos, frame streams and capture
/// files go through the same targets SharpFuzz drives (tests/GoNetTools.Fuzz); none may throw.
/// </summary>
public sealed class FuzzSmokeTests
{
    private const int Executions = 20_000;
    private readonly ITestOutputHelper _output;

    public FuzzSmokeTests(ITestOutputHelper output) => _output = output;

    private static readonly byte[][] TlsSeeds =
    {
        SyntheticPackets.ClientHelloRecord("proxy.golang.org", new[] { "h2", "http/1.1" }),
        SyntheticPackets.Concat(SyntheticPackets.ServerHelloRecord(false, "h2"), SyntheticPackets.Record(20, new byte[] { 1 })),
        SyntheticPackets.ClientHelloRecord("x", Array.Empty<string>(), padding: 300)[5..],
    };

    private static readonly byte[][] Http2Seeds =
    {
        SyntheticPackets.Concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), SyntheticPackets.Http2Frame(4, 0, 0, new byte[] { 0, 3, 0, 0, 0, 100 }),
            SyntheticPackets.Http2Frame(1, 5, 1, new byte[] { 0x82 }), SyntheticPackets.RstStream(1, 2), SyntheticPackets.GoAway(1, 0, "bye")),
        SyntheticPackets.Concat("GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), SyntheticPackets.GoAway(3, 1, "x")),
    };

    [SkippableFact]
    public void Tls_parser_survives_random_and_mutated_input() => Campaign("tls", b => FuzzTargets.Tls(b), TlsSeeds, 1);

    [SkippableFact]
    public void Http2_parser_survives_random_and_mutated_input() => Campaign("http2", b => FuzzTargets.Http2(b), Http2Seeds, 2);

    [SkippableFact]
    public void Capture_reader_survives_random_and_mutated_files()
    {
        var flow = new SyntheticFlow(IPAddress.Parse("10.0.0.2"), 40000, IPAddress.Parse("10.0.0.1"), 443, AnalysisHarness.T0).Handshake()
            .ClientSends(TlsSeeds[0]).ServerSends(TlsSeeds[1]).ClientFin().ServerFin();
        var seeds = new[] { AnalysisHarness.Pcap(flow.Packets), AnalysisHarness.Pcap(flow.Packets, 276, bigEndian: true, nanos: true) };
        Campaign("capture", b => FuzzTargets.Capture(b), seeds, 3, Executions / 4);
    }

    private void Campaign(string name, Action<byte[]> target, byte[][] seeds, int seed, int executions = Executions)
    {
        var random = new Random(seed);
        var ran = 0;
        for (var i = 0; i < executions; i++)
        {
            var input = i % 5 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
            try
            {
                target(input);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{name} target threw on input {Convert.ToHexString(input)}", e);
            }
            ran++;
        }
        foreach (var s in seeds)
        {
            target(s); // positive control: the seeds themselves parse
        }
        _output.WriteLine($"{name}: {ran} executions without an exception");
        Assert.Equal(executions, ran);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        var mutations = 1 + random.Next(8);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16))); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0; break;
            }
        }
        if (random.Next(4) == 0 && bytes.Count > 0)
        {
            var cut = random.Next(bytes.Count);
            bytes.RemoveRange(cut, bytes.Count - cut); // truncation
        }
        return bytes.ToArray();
    }
}
