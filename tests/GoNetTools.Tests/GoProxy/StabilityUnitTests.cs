using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using GoNetTools.GoProxy;
using Xunit;
using GoNetTools.Protocols.GoModules;
using GoNetTools.Protocols.Http2;
using GoNetTools.Foundation;

namespace GoNetTools.Tests.GoProxy;

public sealed class Http2FrameScannerTests
{
    private static byte[] Frame(byte type, int streamId, params byte[] payload)
    {
        var f = new byte[9 + payload.Length];
        f[0] = (byte)(payload.Length >> 16); f[1] = (byte)(payload.Length >> 8); f[2] = (byte)payload.Length;
        f[3] = type;
        f[5] = (byte)(streamId >> 24); f[6] = (byte)(streamId >> 16); f[7] = (byte)(streamId >> 8); f[8] = (byte)streamId;
        payload.CopyTo(f, 9);
        return f;
    }

    private static readonly byte[] Stream = new[]
    {
        Frame(Http2FrameScanner.Settings, 0),
        Frame(Http2FrameScanner.Data, 1, new byte[100]),
        Frame(Http2FrameScanner.RstStream, 3, 0, 0, 0, 2),
        Frame(Http2FrameScanner.GoAway, 0, 0, 0, 0x07, 0xCF, 0, 0, 0, 0, 1, 2, 3),
        Frame(Http2FrameScanner.Headers, 5, 1, 2, 3),
    }.SelectMany(b => b).ToArray();

    private static List<(byte Type, int Stream, byte[] Prefix)> Scan(byte[] bytes, int chunk, bool preface = false)
    {
        var seen = new List<(byte, int, byte[])>();
        var scanner = new Http2FrameScanner((t, _, s, p) => seen.Add((t, s, p.ToArray())), preface);
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            scanner.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }
        return seen;
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1000)]
    public void FramesAreFoundWhereverTheBytesSplit(int chunk)
    {
        var seen = Scan(Stream, chunk);
        Assert.Equal(new byte[] { 4, 0, 3, 7, 1 }, seen.Select(s => s.Type).ToArray());
        var rst = seen[2];
        Assert.Equal(3, rst.Stream);
        Assert.Equal("INTERNAL_ERROR", Http2ErrorCodes.Name(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rst.Prefix)));
        var goAway = seen[3];
        Assert.Equal(1999, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(goAway.Prefix));
        // A GOAWAY comes with its debug data (here 3 bytes after the 8 fixed ones); other frames with 8 bytes at most.
        Assert.Equal(new byte[] { 1, 2, 3 }, goAway.Prefix[8..]);
        Assert.Equal(100 > 8 ? 8 : 100, seen[1].Prefix.Length);
    }

    [SkippableFact]
    public void ClientDirectionSkipsThePreface()
    {
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        var seen = Scan(preface.Concat(Stream).ToArray(), 5, preface: true);
        Assert.Equal(5, seen.Count);
        // Positive control: without skipping, the preface is misread as frames.
        Assert.NotEqual(5, Scan(preface.Concat(Stream).ToArray(), 5, preface: false).Count);
    }

    [SkippableFact]
    public void ErrorCodeNames()
    {
        Assert.Equal("NO_ERROR", Http2ErrorCodes.Name(0));
        Assert.Equal("REFUSED_STREAM", Http2ErrorCodes.Name(7));
        Assert.Equal("HTTP_1_1_REQUIRED", Http2ErrorCodes.Name(13));
        Assert.Equal("0xff", Http2ErrorCodes.Name(255));
    }

    /// <summary>The public enum (Model/Http2Frame.cs) and the wire names (Protocols) name the same RFC 9113 §7 codes.</summary>
    [SkippableFact]
    public void ErrorCodeEnumAgreesWithWireNames()
    {
        var values = Enum.GetValues<Http2ErrorCode>();
        Assert.Equal(14, values.Length);
        foreach (var code in values)
        {
            var wire = Http2ErrorCodes.Name((uint)code).Replace("_", "", StringComparison.Ordinal);
            Assert.Equal(wire, code.ToString().ToUpperInvariant());
        }
        Assert.StartsWith("0x", Http2ErrorCodes.Name((uint)values.Max() + 1), StringComparison.Ordinal);
    }
}

public sealed class GoModuleTests
{
    [SkippableTheory]
    [InlineData("github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml")]
    [InlineData("golang.org/x/text", "golang.org/x/text")]
    [InlineData("v1.0.0-RC1", "v1.0.0-!r!c1")]
    public void CaseEncoding(string path, string escaped) => Assert.Equal(escaped, ModuleEscaping.Escape(path));

    [SkippableTheory]
    [InlineData("golang.org/x/text", true, null)]
    [InlineData("golang.org/x/text@v0.14.0", true, "v0.14.0")]
    [InlineData("golang.org/x/text@latest", true, "latest")]
    [InlineData("golang.org/x/text@v0", true, "v0")]
    [InlineData("golang.org/x/text@v0.14", true, "v0.14")]
    [InlineData("golang.org/x/text@master", false, null)]
    [InlineData("bad path", false, null)]
    [InlineData("", false, null)]
    public void ParseModuleArguments(string text, bool ok, string? version)
    {
        Assert.Equal(ok, GoModule.TryParse(text, out var m));
        if (ok)
        {
            Assert.Equal(version, m.Version);
        }
    }

    [SkippableFact]
    public void GoModRequireLinesSingleAndBlock()
    {
        const string goMod = """
            module example.com/app // the app

            go 1.22

            require github.com/google/uuid v1.6.0
            require (
                golang.org/x/text v0.14.0
                "gopkg.in/yaml.v3" v3.0.1 // indirect
            )
            replace golang.org/x/net => ../net
            """;
        var modules = GoModule.FromGoMod(goMod, "go.mod");
        Assert.Equal(new[] { "github.com/google/uuid@v1.6.0", "golang.org/x/text@v0.14.0", "gopkg.in/yaml.v3@v3.0.1" }, modules.Select(m => m.ToString()));
    }

    [SkippableTheory]
    [InlineData("require golang.org/x/text v0.14.0\n")]
    [InlineData("module example.com/app\n")]
    [InlineData("")]
    public void NotAGoModOrNothingRequired(string text)
    {
        var e = Assert.Throws<GoNetToolsException>(() => GoModule.FromGoMod(text, "x"));
        Assert.Equal(ErrorIds.InvalidGoMod, e.ErrorId);
        Assert.Equal(FailureKind.InvalidData, e.Kind);
    }

    [SkippableTheory]
    [InlineData("v1.0.0\nv1.10.0\nv1.9.0\n", "v1.10.0")]
    [InlineData("v2.0.0-rc.1\nv1.5.0\nv2.0.0\n", "v2.0.0")]
    // cmd/go's latest prefers a release to a higher pre-release.
    [InlineData("v2.0.0-rc.1\nv1.5.0\n", "v1.5.0")]
    [InlineData("v2.0.0-rc.1\nv2.0.0-rc.2\n", "v2.0.0-rc.2")]
    [InlineData("<html>\n", null)]
    [InlineData("", null)]
    public void LatestVersionFromList(string body, string? expected) => Assert.Equal(expected, ReplayModule.LatestFromList(body));
}

public sealed class ProxyResolverTests
{
    [SkippableFact]
    public void OrderIsEnvironmentThenGoEnvThenGoDefault()
    {
        Assert.Equal("$env:GOPROXY", ProxyResolver.Resolve("https://env.example", () => throw new InvalidOperationException("not asked")).Source);
        var skipped = new List<string>();
        var fromGo = ProxyResolver.Resolve("direct", () => "https://go.example,direct", skipped.Add);
        Assert.Equal("https://go.example,direct", fromGo.Proxy.ToString());
        Assert.Contains("names no proxy URL", Assert.Single(skipped));
        Assert.Equal(ProxyResolver.GoDefault, ProxyResolver.Resolve(null, () => null).Proxy.ToString());
        // A broken GOPROXY is passed over, with the reason.
        Assert.Equal("go env GOPROXY", ProxyResolver.Resolve("ftp://x", () => "https://go.example", skipped.Add).Source);
        Assert.Contains("scheme 'ftp'", skipped[^1]);
    }
}

public sealed class RequestLogTests
{
    [SkippableFact]
    public void CountsAreExactAndTheLatencySampleIsBounded()
    {
        var log = new RequestLog();
        for (int i = 1; i <= 300_000; i++)
        {
            log.Add(new RequestRecord(GoProxyRequestKind.Zip, 200, 10, TimeSpan.FromTicks(i), null));
        }
        log.Add(new RequestRecord(GoProxyRequestKind.List, 0, 0, TimeSpan.FromSeconds(1), "StreamReset"));
        var s = log.Summary();
        Assert.Equal(300_001, s.Count);
        Assert.Equal(1, s.Failures);
        Assert.Equal(3_000_000, s.Bytes);
        Assert.Equal(300_000, (int)s.ByKind["zip"]!);
        Assert.Equal(1, (int)s.ByFailure["StreamReset"]!);
        Assert.Equal(RequestLog.LatencySamples, s.SortedLatencies.Count);
        // A uniform sample of 1..300000 ticks: the median lands near 150000.
        Assert.InRange(RequestLog.Percentile(s.SortedLatencies, 50).Ticks, 145_000, 155_000);
        Assert.InRange(RequestLog.Percentile(s.SortedLatencies, 99).Ticks, 294_000, 300_000);
    }

    [SkippableFact]
    public void PercentileOfAnEmptySampleIsZero() => Assert.Equal(TimeSpan.Zero, RequestLog.Percentile(Array.Empty<TimeSpan>(), 95));
}
