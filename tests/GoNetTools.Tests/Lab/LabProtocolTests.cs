using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Lab;

/// <summary>The GOPROXY protocol as the lab serves it, fetched with HttpClient over TLS (HTTP/2) and cleartext.</summary>
public sealed class LabProtocolTests : IDisposable
{
    private const string Plain = "lab.gonettools.test/mod000";
    private const string Mixed = "lab.gonettools.test/Mixed/Mod002";
    private const string MixedEscaped = "lab.gonettools.test/!mixed/!mod002";
    private readonly LabSession _lab = LabSession.Start("-SyntheticModules 3 -SyntheticVersions 2 -SyntheticModuleSize 20000");

    public void Dispose() => _lab.Dispose();

    [SkippableFact]
    public void Lab_object_describes_what_it_serves_and_how_go_reaches_it()
    {
        var lab = _lab.Lab;
        Assert.StartsWith("https://127.0.0.1:", lab.Url, StringComparison.Ordinal);
        Assert.Equal("h2,http/1.1", lab.Protocols);
        Assert.Equal(6, lab.Modules.Length);
        Assert.Contains(Mixed + "@v1.1.0", lab.Modules);
        Assert.True(File.Exists(lab.CertificatePath));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(lab.CertificatePath!), StringComparison.Ordinal);
        Assert.Equal(lab.Url, lab.GoEnvironment["GOPROXY"]);
        Assert.Equal(lab.CertificatePath, lab.GoEnvironment["SSL_CERT_FILE"]);
        Assert.Equal("off", lab.GoEnvironment["GOSUMDB"]);
        Assert.True(lab.Faults.IsHealthy);
        Assert.Equal(GoProxyLabState.Running, lab.State);
    }

    [SkippableFact]
    public void List_info_mod_zip_and_latest_over_https_h2_with_the_lab_ca()
    {
        using var client = _lab.Client();
        var list = client.GetAsync($"/{Plain}/@v/list").Result;
        Assert.Equal(HttpVersion.Version20, list.Version);
        Assert.Equal("v1.0.0\nv1.1.0\n", list.Content.ReadAsStringAsync().Result);
        Assert.Equal("text/plain", list.Content.Headers.ContentType?.MediaType);

        using var info = JsonDocument.Parse(client.GetStringAsync($"/{Plain}/@v/v1.0.0.info").Result);
        Assert.Equal("v1.0.0", info.RootElement.GetProperty("Version").GetString());
        Assert.True(DateTime.TryParse(info.RootElement.GetProperty("Time").GetString(), out _));

        using var latest = JsonDocument.Parse(client.GetStringAsync($"/{Plain}/@latest").Result);
        Assert.Equal("v1.1.0", latest.RootElement.GetProperty("Version").GetString());

        var mod = client.GetStringAsync($"/{Plain}/@v/v1.1.0.mod").Result;
        Assert.Equal($"module {Plain}\n\ngo 1.18\n", mod);

        var zipResponse = client.GetAsync($"/{Plain}/@v/v1.1.0.zip").Result;
        Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
        var bytes = zipResponse.Content.ReadAsByteArrayAsync().Result;
        Assert.Equal(bytes.Length, zipResponse.Content.Headers.ContentLength);
        Assert.InRange(bytes.Length, 15_000, 25_000);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.All(zip.Entries, e => Assert.StartsWith(Plain + "@v1.1.0/", e.FullName, StringComparison.Ordinal));
        var goMod = zip.GetEntry(Plain + "@v1.1.0/go.mod");
        Assert.NotNull(goMod);
        Assert.Equal(mod, new StreamReader(goMod!.Open()).ReadToEnd());
    }

    [SkippableFact]
    public void Case_encoded_paths_are_served_and_raw_upper_case_is_not()
    {
        using var client = _lab.Client();
        Assert.Equal($"module {Mixed}\n\ngo 1.18\n", client.GetStringAsync($"/{MixedEscaped}/@v/v1.0.0.mod").Result);
        var upper = client.GetAsync($"/{Mixed}/@v/v1.0.0.mod").Result;
        Assert.Equal(HttpStatusCode.NotFound, upper.StatusCode);
        Assert.Contains("invalid escaped module path", upper.Content.ReadAsStringAsync().Result);
    }

    [SkippableFact]
    public void Unknown_module_is_404_and_unknown_version_410_with_text_bodies()
    {
        using var client = _lab.Client();
        var module = client.GetAsync("/example.com/nothing/@v/list").Result;
        Assert.Equal(HttpStatusCode.NotFound, module.StatusCode);
        Assert.Equal("text/plain", module.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not found", module.Content.ReadAsStringAsync().Result);

        var version = client.GetAsync($"/{Plain}/@v/v9.9.9.zip").Result;
        Assert.Equal(HttpStatusCode.Gone, version.StatusCode);
        Assert.Equal("text/plain", version.Content.Headers.ContentType?.MediaType);
        Assert.Contains("v9.9.9", version.Content.ReadAsStringAsync().Result);

        var stats = _lab.Stats();
        Assert.Equal(1L, stats.ResponsesByStatus["404"]);
        Assert.Equal(1L, stats.ResponsesByStatus["410"]);
    }

    [SkippableFact]
    public void Zip_answers_ranges_with_206_and_etag_revalidation_with_304()
    {
        using var client = _lab.Client();
        var full = client.GetAsync($"/{Plain}/@v/v1.0.0.zip").Result;
        var whole = full.Content.ReadAsByteArrayAsync().Result;
        var etag = full.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("bytes", Assert.Single(full.Headers.AcceptRanges));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/{Plain}/@v/v1.0.0.zip");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        var part = client.SendAsync(ranged).Result;
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, part.Content.Headers.ContentLength);
        Assert.Equal(whole.Length, part.Content.Headers.ContentRange?.Length);
        Assert.Equal(whole.AsSpan(100, 100).ToArray(), part.Content.ReadAsByteArrayAsync().Result);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/{Plain}/@v/v1.0.0.zip");
        conditional.Headers.IfNoneMatch.Add(etag!);
        Assert.Equal(HttpStatusCode.NotModified, client.SendAsync(conditional).Result.StatusCode);

        var stats = _lab.Stats();
        Assert.Equal(3L, stats.RequestsByKind["zip"]);
        Assert.Equal(1L, stats.ResponsesByStatus["206"]);
        Assert.Equal(1L, stats.ResponsesByStatus["304"]);
    }

    [SkippableFact]
    public void Http1_over_tls_is_offered_beside_h2_and_counted_apart()
    {
        using var h1 = _lab.Client(HttpVersion.Version11);
        var response = h1.GetAsync($"/{Plain}/@v/list").Result;
        Assert.Equal(HttpVersion.Version11, response.Version);
        using var h2 = _lab.Client();
        Assert.Equal(HttpVersion.Version20, h2.GetAsync($"/{Plain}/@v/list").Result.Version);
        var stats = _lab.Stats();
        Assert.Equal(1, stats.Http1Requests);
        Assert.Equal(1, stats.Http2Requests);
        Assert.Equal(2, stats.TlsHandshakes);
        Assert.Equal(_lab.ClientConnections, stats.Connections);
    }
}

/// <summary>-Cleartext: one port, HTTP/1.1 and HTTP/2 with prior knowledge (h2c).</summary>
public sealed class LabCleartextTests : IDisposable
{
    private readonly LabSession _lab = LabSession.Start("-Cleartext -SyntheticModules 1");

    public void Dispose() => _lab.Dispose();

    [SkippableFact]
    public void Cleartext_serves_h2c_prior_knowledge_and_http1_on_one_port()
    {
        Assert.StartsWith("http://127.0.0.1:", _lab.Lab.Url, StringComparison.Ordinal);
        Assert.Null(_lab.Lab.CertificatePath);
        Assert.False(_lab.Lab.GoEnvironment.ContainsKey("SSL_CERT_FILE"));

        using var h2c = _lab.Client();
        for (var i = 0; i < 3; i++)
        {
            var r = h2c.GetAsync("/lab.gonettools.test/mod000/@v/list").Result;
            Assert.Equal(HttpVersion.Version20, r.Version);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        using var h1 = _lab.Client(HttpVersion.Version11);
        var one = h1.GetAsync("/lab.gonettools.test/mod000/@v/v1.0.0.mod").Result;
        Assert.Equal(HttpVersion.Version11, one.Version);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);

        var stats = _lab.Stats();
        Assert.Equal(3, stats.Http2Requests);
        Assert.Equal(1, stats.Http1Requests);
        Assert.Equal(0, stats.TlsHandshakes);
        Assert.Equal(2, stats.Connections);
        Assert.Equal(_lab.ClientConnections, stats.Connections);
    }
}
