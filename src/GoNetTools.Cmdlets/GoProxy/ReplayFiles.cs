using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Protocols.GoModules;

namespace GoNetTools.GoProxy;

/// <summary>
/// The GOPROXY files of one round (one `go` process), fetched the way cmd/go's modfetch does: every file is asked
/// of the GOPROXY entries in order (TryProxies), going on to the next entry after a 404/410, or after any error
/// when the entry is followed by '|'; "direct" and "off" end the walk (nothing is fetched from a VCS). A file that
/// arrived is not asked again in the same round (cmd/go's module cache); a version list is kept per query prefix,
/// as cachingRepo keeps it.
/// </summary>
internal sealed class ReplayFiles
{
    private readonly ProxyFetcher _fetcher;
    private readonly GoProxyList _list;
    private readonly GoTransport _transport;
    private readonly CancellationToken _abort;
    private readonly ConcurrentDictionary<string, Task<FetchOutcome>> _done = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _urls;

    /// <summary>The files of one round; <c>urls</c> caches request URLs across rounds (a load test asks for the same ones again and again).</summary>
    public ReplayFiles(ProxyFetcher fetcher, GoProxyList list, GoTransport transport, CancellationToken abort, ConcurrentDictionary<string, Uri>? urls = null)
    {
        _fetcher = fetcher;
        _list = list;
        _transport = transport;
        _abort = abort;
        _urls = urls ?? new ConcurrentDictionary<string, Uri>(StringComparer.Ordinal);
    }

    public RequestLog Log => _fetcher.Log;

    /// <summary>@v/list (cached per prefix: cmd/go asks again for a different prefix).</summary>
    public Task<FetchOutcome> ListAsync(string path, string prefix) =>
        Once($"{path}@list:{prefix}", () => WalkAsync(path, "@v/list", GoProxyRequestKind.List, keepBody: true));

    public Task<FetchOutcome> LatestAsync(string path) =>
        Once($"{path}@latest", () => WalkAsync(path, "@latest", GoProxyRequestKind.Latest, keepBody: true));

    public Task<FetchOutcome> InfoAsync(string path, string version) =>
        Once($"{path}@{version}.info", () => WalkAsync(path, $"@v/{Escape(version)}.info", GoProxyRequestKind.Info, keepBody: false));

    /// <summary>go.mod; its text only when <paramref name="keepBody"/> (the module graph walk reads it).</summary>
    public Task<FetchOutcome> ModAsync(string path, string version, bool keepBody = false) =>
        Once($"{path}@{version}.mod", () => WalkAsync(path, $"@v/{Escape(version)}.mod", GoProxyRequestKind.Mod, keepBody));

    public Task<FetchOutcome> ZipAsync(string path, string version) =>
        Once($"{path}@{version}.zip", () => WalkAsync(path, $"@v/{Escape(version)}.zip", GoProxyRequestKind.Zip, keepBody: false));

    /// <summary>True when the file was fetched (or asked for) in this round already.</summary>
    public bool Asked(string path, string version, string extension) => _done.ContainsKey($"{path}@{version}.{extension}");

    private Task<FetchOutcome> Once(string key, Func<Task<FetchOutcome>> fetch)
    {
        var task = _done.GetOrAdd(key, _ => fetch());
        if (task.IsCompleted && task.Result.Status == FetchStatus.NotSent)
        {
            // Not sent (budget, end of run) is not a cached answer.
            _done.TryRemove(key, out _);
        }
        return task;
    }

    private async Task<FetchOutcome> WalkAsync(string path, string file, GoProxyRequestKind kind, bool keepBody)
    {
        var entries = _list.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Kind == GoProxyEntryKind.Off)
            {
                return new FetchOutcome(FetchStatus.Failed, null, FailureClassifier.Off);
            }
            if (entry.Kind == GoProxyEntryKind.Direct)
            {
                // cmd/go would now go to the origin (git); a proxy test stops here without judging.
                return new FetchOutcome(FetchStatus.NotSent, null, "direct");
            }
            bool last = i == entries.Count - 1;
            if (!last && entry.FallBackOnAnyError && _fetcher.Policy.Connects.IsBackingOff(ConnectBackoff.Key(entry.Url!)))
            {
                // After '|', an entry whose connects are failing is passed over while it backs off (cmd/go would try it
                // and fail at once; we do not hammer a dead host): the request goes to the next entry.
                Log.FellThrough();
                continue;
            }
            var url = _urls.GetOrAdd($"{i}|{path}|{file}", _ => new Uri($"{entry.Url!.AbsoluteUri.TrimEnd('/')}/{Escape(path)}/{file}"));
            var outcome = await _fetcher.GetAsync(_transport, url, kind, keepBody, finalEntry: last || !FallsOnNotFound(entries, i), _abort).ConfigureAwait(false);
            bool fallThrough = !last && (outcome.Status == FetchStatus.NotFound || (outcome.Status == FetchStatus.Failed && entry.FallBackOnAnyError));
            if (!fallThrough)
            {
                return outcome;
            }
            Log.FellThrough();
        }
        return new FetchOutcome(FetchStatus.NotSent, null, null);
    }

    /// <summary>Whether a 404 at entry i goes on: there is a next entry (both ',' and '|' fall through on 404/410).</summary>
    private static bool FallsOnNotFound(System.Collections.Generic.IReadOnlyList<GoProxyEntry> entries, int i) => i < entries.Count - 1;

    /// <summary>
    /// GOPROXY case encoding ('!' + lower case for upper case, module.EscapePath) with '!' itself percent-encoded in
    /// the URL, as Go's url package writes it ("%21mixed").
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in ModuleEscaping.Escape(text))
        {
            builder.Append(c == '!' ? "%21" : c.ToString());
        }
        return builder.ToString();
    }
}
