using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Lab;

/// <summary>The real go client against the lab, with nothing but the lab's GoEnvironment (plus private dirs).</summary>
[Trait("Category", Category.Go)]
public sealed class GoClientTests
{
    [SkippableFact]
    public void Go_mod_download_fetches_every_lab_module_over_https_h2()
    {
        using var lab = LabSession.Start("-SyntheticModules 3 -SyntheticVersions 2");
        using var go = new GoTool();
        var (code, stdout, stderr) = go.Run("mod download -json " + string.Join(' ', lab.Lab.Modules), lab.Lab.GoEnvironment);
        Assert.True(code == 0, $"go mod download failed ({code}): {stderr}\n{stdout}");

        var downloads = ReadJsonStream(stdout);
        Assert.Equal(lab.Lab.Modules.OrderBy(m => m), downloads.Select(d => d.GetProperty("Path").GetString() + "@" + d.GetProperty("Version").GetString()).OrderBy(m => m));
        Assert.All(downloads, d =>
        {
            Assert.False(d.TryGetProperty("Error", out _));
            Assert.True(File.Exists(d.GetProperty("Zip").GetString()));
            Assert.StartsWith("h1:", d.GetProperty("Sum").GetString(), StringComparison.Ordinal);
        });
        // The upper-case module landed under its case-encoded name.
        Assert.True(Directory.Exists(Path.Combine(go.ModCache, "lab.gonettools.test", "!mixed", "!mod002@v1.0.0")));

        var stats = lab.Stats();
        Assert.True(stats.Http2Requests > 0);
        Assert.Equal(0, stats.Http1Requests);
        Assert.Equal((long)lab.Lab.Modules.Length, stats.RequestsByKind["zip"]);
        Assert.True(stats.TlsHandshakes >= 1);
        Assert.False(stats.ResponsesByStatus.ContainsKey("404"));
    }

    [SkippableFact]
    public void Go_builds_a_program_importing_a_case_encoded_lab_module()
    {
        using var lab = LabSession.Start("-SyntheticModules 3");
        using var go = new GoTool();
        var app = Directory.CreateDirectory(Path.Combine(go.Root, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "go.mod"), "module example.com/app\n\ngo 1.18\n\nrequire lab.gonettools.test/Mixed/Mod002 v1.1.0\n");
        File.WriteAllText(Path.Combine(app, "main.go"),
            "package main\n\nimport (\n\t\"fmt\"\n\n\tmod002 \"lab.gonettools.test/Mixed/Mod002\"\n)\n\nfunc main() { fmt.Println(mod002.Version) }\n");

        var download = go.Run("mod download", lab.Lab.GoEnvironment, app);
        Assert.True(download.ExitCode == 0, download.Stderr);
        var run = go.Run("run .", lab.Lab.GoEnvironment, app);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("v1.1.0", run.Stdout.Trim());
        Assert.Contains("lab.gonettools.test/Mixed/Mod002 v1.1.0 h1:", File.ReadAllText(Path.Combine(app, "go.sum")));
        Assert.True(lab.Stats().Http2Requests > 0);
    }

    [SkippableFact]
    public void Go_rides_through_a_goaway_budget_on_new_connections()
    {
        using var lab = LabSession.Start("-SyntheticModules 8 -GoAwayAfterStreams 4");
        using var go = new GoTool();
        var (code, _, stderr) = go.Run("mod download " + string.Join(' ', lab.Lab.Modules), lab.Lab.GoEnvironment);
        Assert.True(code == 0, stderr);
        var stats = lab.Stats();
        Assert.Equal(stats.Requests, (long)(stats.ResponsesByStatus["200"] ?? -1L));
        Assert.True(stats.Requests >= 3 * lab.Lab.Modules.Length);
        Assert.True(stats.GoAwaysSent >= 2, $"GOAWAYs: {stats.GoAwaysSent}");
        Assert.True(stats.Connections > stats.Requests / 4, $"{stats.Connections} connections for {stats.Requests} requests");
        Assert.Equal(stats.GoAwaysSent, (long)(stats.GoAwayErrorCodes["NO_ERROR"] ?? -1L));
        // Every spent connection gets its budget GOAWAY, as nginx sends; Kestrel may write one more (its own
        // shutdown GOAWAY) when the client has not yet dropped the connection, and the lab counts real frames.
        Assert.InRange(stats.GoAwaysSent, stats.GoAwayConnections, 2 * stats.GoAwayConnections);
    }

    [SkippableFact]
    public void Settings_saved_with_go_env_w_do_not_steer_go_around_the_lab()
    {
        using var lab = LabSession.Start("-SyntheticModules 1");
        using var go = new GoTool();
        var config = Directory.CreateDirectory(Path.Combine(go.Root, ".config", "go")).FullName;
        File.WriteAllText(Path.Combine(config, "env"), "GOPRIVATE=*\nGOPROXY=https://proxy.invalid\n");

        // A dead local proxy for anything not on loopback: a direct fetch fails here, without leaving the host.
        // Go never proxies loopback addresses, so the lab itself is reached directly.
        var env = new System.Collections.Hashtable(lab.Lab.GoEnvironment) { ["HTTPS_PROXY"] = "http://127.0.0.1:9" };
        var withLab = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", env);
        Assert.True(withLab.ExitCode == 0, withLab.Stderr);
        Assert.Equal(1L, lab.Stats().RequestsByKind["zip"]);

        // Positive control: without GOENV=off the saved GOPRIVATE=* sends go direct, and it fails.
        env.Remove("GOENV");
        var without = go.Run("mod download lab.gonettools.test/mod000@v1.1.0", env);
        Assert.Contains("127.0.0.1:9", without.Stderr);
        Assert.NotEqual(0, without.ExitCode);
        Assert.Equal(1L, lab.Stats().RequestsByKind["zip"]);
    }

    [SkippableFact]
    public void Cleartext_lab_serves_go_over_http1()
    {
        using var lab = LabSession.Start("-Cleartext -SyntheticModules 1");
        using var go = new GoTool();
        var (code, _, stderr) = go.Run("mod download lab.gonettools.test/mod000@v1.0.0", lab.Lab.GoEnvironment);
        Assert.True(code == 0, stderr);
        var stats = lab.Stats();
        Assert.True(stats.Http1Requests >= 3); // info, mod, zip
        Assert.Equal(0, stats.Http2Requests);
    }

    [SkippableFact]
    public void A_module_cache_go_filled_can_be_served_with_ModuleRoot()
    {
        using var go = new GoTool();
        using (var synthetic = LabSession.Start("-SyntheticModules 2"))
        {
            var first = go.Run("mod download " + string.Join(' ', synthetic.Lab.Modules), synthetic.Lab.GoEnvironment);
            Assert.True(first.ExitCode == 0, first.Stderr);
        }

        using var fromCache = LabSession.Start($"-ModuleRoot '{go.ModCache}'");
        Assert.Equal(4, fromCache.Lab.Modules.Length);
        Assert.Contains("lab.gonettools.test/mod001@v1.1.0", fromCache.Lab.Modules);
        using var second = new GoTool();
        var (code, stdout, stderr) = second.Run("mod download -json lab.gonettools.test/mod001@latest", fromCache.Lab.GoEnvironment);
        Assert.True(code == 0, stderr);
        var result = ReadJsonStream(stdout).Single();
        Assert.Equal("v1.1.0", result.GetProperty("Version").GetString());
        var original = Path.Combine(go.ModCache, "cache", "download", "lab.gonettools.test", "mod001", "@v", "v1.1.0.zip");
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(result.GetProperty("Zip").GetString()!));
        Assert.True(fromCache.Stats().RequestsByKind.ContainsKey("latest") || fromCache.Stats().RequestsByKind.ContainsKey("list"));
    }

    /// <summary>go -json prints a stream of JSON objects, not an array.</summary>
    private static JsonElement[] ReadJsonStream(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        var items = new System.Collections.Generic.List<JsonElement>();
        while (reader.Read())
        {
            items.Add(JsonElement.ParseValue(ref reader));
        }
        return items.ToArray();
    }
}
