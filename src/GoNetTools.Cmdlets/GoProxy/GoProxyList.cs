using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GoNetTools.Foundation;

namespace GoNetTools.GoProxy;

/// <summary>What one GOPROXY entry is: a proxy URL, "direct" (the version control origin) or "off" (fail).</summary>
internal enum GoProxyEntryKind
{
    Url,
    Direct,
    Off,
}

/// <summary>
/// One entry of a GOPROXY list. <see cref="FallBackOnAnyError"/> is the separator after the entry: '|' falls
/// through to the next entry on any error, ',' only when the entry answered 404 or 410 (cmd/go's proxyList).
/// </summary>
internal sealed record GoProxyEntry(GoProxyEntryKind Kind, Uri? Url, bool FallBackOnAnyError)
{
    public override string ToString() => Kind switch
    {
        GoProxyEntryKind.Direct => "direct",
        GoProxyEntryKind.Off => "off",
        _ => Url!.AbsoluteUri.TrimEnd('/'),
    };
}

/// <summary>
/// A GOPROXY value parsed the way cmd/go parses it (modfetch.proxyList, Go 1.19): entries separated by ',' or '|',
/// spaces trimmed, empty entries skipped; "direct" and "off" end the list (entries after them are never used);
/// a host name without a scheme ("goproxy.example") means https://. Unlike cmd/go, only http and https URLs are
/// accepted: a file:// proxy is a directory on this machine, with nothing to test over the network. The one
/// parser for Test-GoProxyStability and Measure-GoModDownload.
/// </summary>
internal sealed class GoProxyList
{
    private GoProxyList(IReadOnlyList<GoProxyEntry> entries) => Entries = entries;

    public IReadOnlyList<GoProxyEntry> Entries { get; }

    /// <summary>The URL entries, in order.</summary>
    public IEnumerable<Uri> Urls => Entries.Where(e => e.Kind == GoProxyEntryKind.Url).Select(e => e.Url!);

    /// <summary>The first proxy URL (the one every request tries first), or null for "direct"/"off" alone.</summary>
    public Uri? FirstUrl => Urls.FirstOrDefault();

    /// <summary>A list of one URL.</summary>
    public static GoProxyList Single(Uri url) => new(new[] { new GoProxyEntry(GoProxyEntryKind.Url, Normalize(url), false) });

    /// <summary>The list as cmd/go reads it back (what GOPROXY is set to for the go tool).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Entries.Count; i++)
        {
            text.Append(Entries[i]);
            if (i < Entries.Count - 1)
            {
                text.Append(Entries[i].FallBackOnAnyError ? '|' : ',');
            }
        }
        return text.ToString();
    }

    /// <summary>Parses a GOPROXY value; throws InvalidProxy (InvalidArgument) naming the entry and what is wrong with it.</summary>
    public static GoProxyList Parse(string? text, string what = "-Proxy")
    {
        if (TryParse(text, out var list, out var problem))
        {
            return list;
        }
        throw new GoNetToolsException(ErrorIds.InvalidProxy, FailureKind.InvalidArgument, $"{what} '{text}' is not a usable GOPROXY value: {problem}",
            "Give an http:// or https:// proxy URL such as https://proxy.golang.org, or a GOPROXY list such as 'https://a.example,https://b.example|direct'.");
    }

    public static bool TryParse(string? text, out GoProxyList list, out string problem)
    {
        list = new GoProxyList(Array.Empty<GoProxyEntry>());
        var entries = new List<GoProxyEntry>();
        var rest = text ?? "";
        while (rest.Length > 0)
        {
            int separator = rest.IndexOfAny(new[] { ',', '|' });
            var token = (separator < 0 ? rest : rest[..separator]).Trim();
            bool anyError = separator >= 0 && rest[separator] == '|';
            rest = separator < 0 ? "" : rest[(separator + 1)..];
            if (token.Length == 0)
            {
                continue;
            }
            if (token is "off" or "direct")
            {
                // cmd/go stops reading at either: nothing after them is ever tried.
                entries.Add(new GoProxyEntry(token == "off" ? GoProxyEntryKind.Off : GoProxyEntryKind.Direct, null, false));
                break;
            }
            if (!TryParseUrl(token, out var url, out problem))
            {
                return false;
            }
            entries.Add(new GoProxyEntry(GoProxyEntryKind.Url, url, anyError));
        }
        if (entries.Count == 0)
        {
            problem = "it names no proxy (an empty list)";
            return false;
        }
        list = new GoProxyList(entries);
        problem = "";
        return true;
    }

    private static bool TryParseUrl(string token, out Uri url, out string problem)
    {
        url = null!;
        // cmd/go: anything with '.', ':' or '/' but no ":/" and not an absolute path is a host: https:// is implied.
        var text = token.IndexOfAny(new[] { '.', ':', '/' }) >= 0 && !token.Contains(":/", StringComparison.Ordinal) && !token.StartsWith('/')
            ? "https://" + token
            : token;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || text.Contains(' ', StringComparison.Ordinal))
        {
            problem = token.IndexOfAny(new[] { '.', ':', '/' }) < 0
                ? $"'{token}' is not a URL (no scheme; the only single-word entries are 'direct' and 'off')"
                : $"'{token}' is not a URL";
            return false;
        }
        if (parsed.Scheme == Uri.UriSchemeFile)
        {
            problem = $"'{token}' is a file:// proxy, a directory on this machine: there is no server to test";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            problem = $"'{token}' has the scheme '{parsed.Scheme}'; a GOPROXY URL is http:// or https://";
            return false;
        }
        if (parsed.Host.Length == 0)
        {
            problem = $"'{token}' names no host";
            return false;
        }
        url = Normalize(parsed);
        problem = "";
        return true;
    }

    /// <summary>Query and fragment dropped, no trailing slash (module paths are appended).</summary>
    private static Uri Normalize(Uri url) => new(url.GetLeftPart(UriPartial.Path).TrimEnd('/'));
}
