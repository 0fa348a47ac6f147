using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// Drives the requests of a run. Replay (the default): rounds, each one cold `go mod download` — a new transport
/// (a new go process: new connections, closed by us when the round ends, as go's exit closes them), the module set
/// or -GoMod's build list fetched in cmd/go's order and concurrency — with a pause between rounds. Stress: a load
/// test, Concurrency workers fetching module after module back to back on one warm transport.
/// Stops starting work when <c>issue</c> is cancelled; in-flight requests end on their own or when <c>abort</c> is.
/// </summary>
internal sealed class ReplayDriver
{
    private readonly StabilityOptions _o;
    private readonly ProxyFetcher _fetcher;
    private readonly ConnectionRegistry _registry;
    private readonly List<(TimeSpan Duration, int Requests)> _rounds = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> _urls = new(StringComparer.Ordinal);
    private int _round;
    private int _modulePasses;

    public ReplayDriver(StabilityOptions options, ProxyFetcher fetcher, ConnectionRegistry registry)
    {
        _o = options;
        _fetcher = fetcher;
        _registry = registry;
    }

    /// <summary>The round running now (1-based; 0 before the first).</summary>
    public int Round => Volatile.Read(ref _round);

    /// <summary>Completed rounds: how long each took and how many requests it judged.</summary>
    public IReadOnlyList<(TimeSpan Duration, int Requests)> CompletedRounds { get { lock (_rounds) { return _rounds.ToArray(); } } }

    /// <summary>Stress mode: module-set passes completed (modules fetched ÷ set size).</summary>
    public int StressPasses(int setSize) => setSize == 0 ? 0 : Volatile.Read(ref _modulePasses) / setSize;

    public Task RunAsync(CancellationToken issue, CancellationToken abort) => _o.Stress ? StressAsync(issue, abort) : RoundsAsync(issue, abort);

    private GoTransport NewTransport() =>
        new(_registry, _o.Proxy.FirstUrl!, _o.Http11, _o.MaxIdleConnectionsPerHost, _o.SkipCertificateCheck, _o.TrustedRoots);

    private async Task RoundsAsync(CancellationToken issue, CancellationToken abort)
    {
        for (int round = 1; !issue.IsCancellationRequested; round++)
        {
            Volatile.Write(ref _round, round);
            int before = _fetcher.Log.Count;
            var clock = Stopwatch.StartNew();
            bool complete;
            using (var transport = NewTransport())
            {
                var files = new ReplayFiles(_fetcher, _o.Proxy, transport, abort, _urls);
                complete = await ReplayRound.RunAsync(files, _o.Modules, _o.GoMod, _o.Concurrency, issue).ConfigureAwait(false);
            }
            if (complete)
            {
                lock (_rounds)
                {
                    _rounds.Add((clock.Elapsed, _fetcher.Log.Count - before));
                }
            }
            if (_o.Rounds is { } wanted && round >= wanted)
            {
                return;
            }
            try
            {
                await Task.Delay(_o.Pause, issue).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StressAsync(CancellationToken issue, CancellationToken abort)
    {
        using var transport = NewTransport();
        IReadOnlyList<GoModule> modules = _o.Modules;
        if (_o.GoMod is not null)
        {
            var walk = new BuildListWalker(new ReplayFiles(_fetcher, _o.Proxy, transport, abort), _o.GoMod, _o.Concurrency);
            modules = (await walk.WalkAsync(issue).ConfigureAwait(false)).Concat(_o.Modules.Where(m => !_o.GoMod.Requires.Contains(m))).ToList();
        }
        if (modules.Count == 0)
        {
            return;
        }
        Volatile.Write(ref _round, 1);
        int next = -1;
        var workers = Enumerable.Range(0, _o.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!issue.IsCancellationRequested)
            {
                var module = modules[(int)((uint)Interlocked.Increment(ref next) % (uint)modules.Count)];
                // A fresh file set per fetch: a load test asks again for what it asked before.
                var files = new ReplayFiles(_fetcher, _o.Proxy, transport, abort, _urls);
                var version = await ReplayModule.ResolveAsync(files, module).ConfigureAwait(false);
                if (version is not null && !issue.IsCancellationRequested)
                {
                    await ReplayModule.DownloadAsync(files, module with { Version = version }).ConfigureAwait(false);
                }
                Interlocked.Increment(ref _modulePasses);
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }
}

/// <summary>One round: the build list (-GoMod), then cmd/go's two steps — resolve one module at a time, download GOMAXPROCS at a time.</summary>
internal static class ReplayRound
{
    /// <summary>True when the round ran to its end (not cut by the end of the run).</summary>
    public static async Task<bool> RunAsync(ReplayFiles files, IReadOnlyList<GoModule> modules, GoModFile? goMod, int concurrency, CancellationToken issue)
    {
        IEnumerable<GoModule> wanted = modules;
        if (goMod is not null)
        {
            var buildList = await new BuildListWalker(files, goMod, concurrency).WalkAsync(issue).ConfigureAwait(false);
            wanted = buildList.Concat(modules.Where(m => !buildList.Contains(m)));
        }
        var resolved = new List<GoModule>();
        foreach (var module in wanted)
        {
            if (issue.IsCancellationRequested)
            {
                return false;
            }
            if (await ReplayModule.ResolveAsync(files, module).ConfigureAwait(false) is { } version)
            {
                resolved.Add(module with { Version = version });
            }
        }
        using var slots = new SemaphoreSlim(Math.Max(1, concurrency));
        var downloads = resolved.Select(async module =>
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!issue.IsCancellationRequested)
                {
                    await ReplayModule.DownloadAsync(files, module).ConfigureAwait(false);
                }
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(downloads).ConfigureAwait(false);
        return !issue.IsCancellationRequested;
    }
}
