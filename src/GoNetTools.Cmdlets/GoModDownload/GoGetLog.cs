using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace GoNetTools.GoModDownload;

/// <summary>
/// Reads the HTTP trace of `go mod download -x`: "# get URL" when a request starts and "# get URL: 200 OK (0.012s)"
/// (or "# get URL: error") when it ends. Everything else on stderr is go's own messages (the error tail).
/// </summary>
internal sealed partial class GoGetLog
{
    private readonly Dictionary<string, int> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _other = new();

    public int Requests { get; private set; }
    public int Ok { get; private set; }
    public int Failed { get; private set; }

    [GeneratedRegex(@"^# get (?<url>\S+?)(?<end>: (?<status>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex GetLine();

    [GeneratedRegex(@"^(?<code>\d{3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusCode();

    public void Add(string line)
    {
        var m = GetLine().Match(line);
        if (!m.Success)
        {
            if (line.Length > 0 && !line.StartsWith("# ", StringComparison.Ordinal))
            {
                _other.Add(line);
            }
            return;
        }
        if (!m.Groups["end"].Success)
        {
            Requests++;
            var host = Uri.TryCreate(m.Groups["url"].Value, UriKind.Absolute, out var uri) ? uri.Authority : m.Groups["url"].Value;
            _byHost[host] = _byHost.TryGetValue(host, out var n) ? n + 1 : 1;
            return;
        }
        var code = StatusCode().Match(m.Groups["status"].Value);
        if (code.Success && code.Groups["code"].Value[0] == '2')
        {
            Ok++;
        }
        else
        {
            Failed++;
        }
    }

    public SniCount[] ByHost() => _byHost.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => new SniCount { Sni = p.Key, Count = p.Value }).ToArray();

    /// <summary>The last lines go wrote that are not the -x trace.</summary>
    public string[] Tail(int lines) => _other.Skip(Math.Max(0, _other.Count - lines)).ToArray();
}
