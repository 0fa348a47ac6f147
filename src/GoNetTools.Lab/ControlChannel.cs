using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Lab.Server;

namespace GoNetTools.Lab;

/// <summary>
/// The line protocol with whoever started the lab (Start-GoProxyLab holds the pipes). Every line the lab writes
/// on stdout is one JSON object with a "type": "ready" once listening, "error" when it cannot start, "stats"
/// answering a "stats" line, "ok" answering "reset". The lab stops when stdin reaches end of file (the parent
/// closed the pipe or died) or on a "quit" line: that is how labs die with the engine that started them.
/// </summary>
internal static class ControlChannel
{
    private static readonly object Gate = new();

    public static void WriteError(string code, string message) => WriteLine(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    public static void WriteReady(Uri url, string? caPath, LabOptions options, IReadOnlyList<string> modules) => WriteLine(w =>
    {
        w.WriteString("type", "ready");
        w.WriteString("url", url.ToString().TrimEnd('/'));
        if (caPath is null)
        {
            w.WriteNull("caPath");
        }
        else
        {
            w.WriteString("caPath", caPath);
        }
        w.WriteNumber("pid", Environment.ProcessId);
        w.WriteString("protocols", options.Http1Only ? "http/1.1" : "h2,http/1.1");
        w.WriteStartObject("faults");
        foreach (var (name, value) in options.Faults())
        {
            w.WriteString(name, value);
        }
        w.WriteEndObject();
        w.WriteStartArray("modules");
        foreach (var m in modules)
        {
            w.WriteStringValue(m);
        }
        w.WriteEndArray();
    });

    /// <summary>Answers commands until stdin closes or "quit" arrives.</summary>
    public static async Task RunAsync(TextReader input, LabCounters counters, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await input.ReadLineAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            switch (line?.Trim())
            {
                case null:
                case "quit":
                    return;
                case "stats":
                    WriteLine(w =>
                    {
                        w.WriteString("type", "stats");
                        w.WriteString("time", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                        counters.Write(w);
                    });
                    break;
                case "reset":
                    counters.Reset();
                    WriteLine(w => w.WriteString("type", "ok"));
                    break;
                case "":
                    break;
                default:
                    WriteError("UnknownCommand", $"unknown command '{line}': use stats, reset or quit");
                    break;
            }
        }
    }

    private static void WriteLine(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        lock (Gate)
        {
            var stdout = Console.Out;
            stdout.Write(Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
            stdout.Flush();
        }
    }
}
