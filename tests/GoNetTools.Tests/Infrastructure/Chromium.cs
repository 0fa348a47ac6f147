using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out,
/// NUL-separated JSON), so no debugging port exists. It runs in a network namespace of its own (unshare -n: not even
/// loopback is up) with a throwaway --user-data-dir, and records every request the page starts, every console message
/// and every uncaught exception.
/// </summary>
public sealed class Chromium : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-chromium-").FullName;
    private readonly Process _process;
    private readonly FileStream _toBrowser;
    private readonly FileStream _fromBrowser;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly Task _reader;
    private int _nextId;
    private string? _session;

    public Chromium(int width = 1280, int height = 900)
    {
        Requires.Root(); // unshare -n
        Requires.Tool("chromium", "apt-get install chromium");
        var input = Path.Combine(_dir, "in");
        var output = Path.Combine(_dir, "out");
        Shell.Run("mkfifo", $"{input} {output}");
        var command = $"exec 3<{input} 4>{output}; exec chromium --headless --no-sandbox --disable-gpu --remote-debugging-pipe " +
            $"--user-data-dir={_dir}/profile --no-first-run --disable-background-networking --disable-component-update --disable-sync " +
            $"--disable-default-apps --hide-scrollbars --window-size={width},{height} about:blank";
        var start = new ProcessStartInfo("unshare") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-n", "bash", "-c", command })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (StandardError) { StandardError.Add(e.Data); } } };
        _process.BeginErrorReadLine();
        var write = Task.Run(() => new FileStream(input, FileMode.Open, FileAccess.Write));
        var read = Task.Run(() => new FileStream(output, FileMode.Open, FileAccess.Read));
        if (!Task.WaitAll(new Task[] { write, read }, 30_000))
        {
            throw new TimeoutException("chromium did not open its DevTools pipe: " + string.Join("\n", StandardError));
        }
        _toBrowser = write.Result;
        _fromBrowser = read.Result;
        _reader = Task.Run(ReadLoop);
    }

    public List<string> StandardError { get; } = new();
    /// <summary>URLs of every request the page started (Network.requestWillBeSent).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    /// <summary>Console messages of type error/assert, uncaught exceptions, and Log entries of level error (CSP violations land here).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Opens <paramref name="url"/> in a new tab and waits until the page sets data-rendered on its root element (or <paramref name="timeout"/>).</summary>
    public string Open(string url, TimeSpan timeout)
    {
        var target = Send("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browser: true)["targetId"]!.GetValue<string>();
        _session = Send("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }, browser: true)["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Network.enable", "Runtime.enable", "Log.enable", "Page.enable" })
        {
            Send(domain);
        }
        Send("Page.navigate", new JsonObject { ["url"] = url });
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var state = Evaluate("(document.documentElement && document.documentElement.dataset.rendered) || ''");
            if (state is "ok" or "error")
            {
                return state;
            }
            Thread.Sleep(50);
        }
        return "timeout";
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as text (objects as JSON).</summary>
    public string Evaluate(string expression)
    {
        var result = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } e)
        {
            throw new InvalidOperationException("evaluate failed: " + e.ToJsonString());
        }
        var value = result["result"]!["value"];
        return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
    }

    /// <summary>A PNG of the whole page at <paramref name="width"/> CSS pixels.</summary>
    public byte[] Screenshot(int width)
    {
        var height = int.Parse(Evaluate("String(Math.ceil(document.documentElement.scrollHeight))"), System.Globalization.CultureInfo.InvariantCulture);
        Send("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        var data = Send("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true })["data"]!.GetValue<string>();
        return Convert.FromBase64String(data);
    }

    /// <summary>The page printed as the browser would (A4-ish defaults).</summary>
    public byte[] PrintToPdf() => Convert.FromBase64String(Send("Page.printToPDF", new JsonObject { ["printBackground"] = true })["data"]!.GetValue<string>());

    private JsonNode Send(string method, JsonObject? parameters = null, bool browser = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browser && _session is not null)
        {
            message["sessionId"] = _session;
        }
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\0");
        lock (_toBrowser)
        {
            _toBrowser.Write(bytes);
            _toBrowser.Flush();
        }
        if (!done.Task.Wait(60_000))
        {
            throw new TimeoutException($"chromium did not answer {method}");
        }
        return done.Task.Result;
    }

    private void ReadLoop()
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while ((n = _fromBrowser.Read(chunk)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                if (chunk[i] != 0)
                {
                    buffer.WriteByte(chunk[i]);
                    continue;
                }
                Dispatch(JsonNode.Parse(buffer.ToArray())!);
                buffer.SetLength(0);
            }
        }
    }

    private void Dispatch(JsonNode message)
    {
        if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiter))
        {
            if (message["error"] is { } error)
            {
                waiter.SetException(new InvalidOperationException(error.ToJsonString()));
            }
            else
            {
                waiter.SetResult(message["result"] ?? new JsonObject());
            }
            return;
        }
        var p = message["params"];
        switch (message["method"]?.GetValue<string>())
        {
            case "Network.requestWillBeSent":
                Requests.Enqueue(p!["request"]!["url"]!.GetValue<string>());
                break;
            case "Runtime.consoleAPICalled" when p!["type"]!.GetValue<string>() is "error" or "assert":
                Errors.Enqueue("console." + p["type"] + ": " + p["args"]!.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                Errors.Enqueue("exception: " + p!["exceptionDetails"]!.ToJsonString());
                break;
            case "Log.entryAdded" when p!["entry"]!["level"]!.GetValue<string>() == "error":
                Errors.Enqueue("log: " + p["entry"]!["text"]);
                break;
        }
    }

    public void Dispose()
    {
        try
        {
            _toBrowser.Dispose();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _fromBrowser.Dispose();
            _process.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
