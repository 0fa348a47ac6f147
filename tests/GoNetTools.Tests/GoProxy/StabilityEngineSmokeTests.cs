using System;
using System.Threading.Tasks;
using GoNetTools.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xunit;
using Xunit.Abstractions;

namespace GoNetTools.Tests.GoProxy;

public sealed class StabilityEngineSmokeTests
{
    private readonly ITestOutputHelper _out;
    public StabilityEngineSmokeTests(ITestOutputHelper output) => _out = output;

    private string Dump(string script, MiniProxy proxy)
    {
        using var rs = new ModuleRunspace();
        var r = rs.Invoke(script.Replace("URL", proxy.Url));
        foreach (var e in r.AllErrors) _out.WriteLine("ERR " + e.FullyQualifiedErrorId + " " + e);
        foreach (var w in r.Warnings) _out.WriteLine("WARN " + w);
        foreach (var o in r.Output)
        {
            foreach (var p in o.Properties) _out.WriteLine($"{p.Name} = {Show(p.Value)}");
            if (o.BaseObject is GoProxyStabilityResult res)
                foreach (var f in res.Findings) { _out.WriteLine($"  {f}"); foreach (System.Collections.DictionaryEntry e in f.Evidence) _out.WriteLine($"     {e.Key}={e.Value}"); }
        }
        _out.WriteLine($"server: requests={proxy.Requests} resets={proxy.Resets} goaways={proxy.GoAways} connections={proxy.Connections}");
        return "";
    }

    private static string Show(object? v) => v switch
    {
        null => "",
        System.Collections.IDictionary d => string.Join("; ", System.Linq.Enumerable.Select(System.Linq.Enumerable.Cast<System.Collections.DictionaryEntry>(d), e => $"{e.Key}={e.Value}")),
        string s => s,
        System.Collections.IEnumerable e => string.Join(", ", System.Linq.Enumerable.Cast<object>(e)),
        _ => v.ToString() ?? "",
    };

    [Theory]
    [InlineData("healthy")]
    [InlineData("reset")]
    [InlineData("close")]
    [InlineData("goaway")]
    public async Task Smoke(string mode)
    {
        await using var proxy = await new MiniProxy(
            mode == "close" ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2,
            resetPercent: mode == "reset" ? 20 : 0, goAwayAfter: mode == "goaway" ? 100 : 0, closeEach: mode == "close").StartAsync();
        var extra = mode == "close" ? "-Concurrency 8 -HttpVersion 1.1" : "";
        Dump($"Test-GoProxyStability -Proxy URL -Module example.com/mini -Duration 00:00:05 -SkipCertificateCheck {extra}", proxy);
    }
}
