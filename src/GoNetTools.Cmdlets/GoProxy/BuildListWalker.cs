using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.GoProxy;

/// <summary>
/// What `go mod download` in a module does before downloading (Go 1.19 modload.readModGraph): reads the go.mod of
/// every requirement, GOMAXPROCS at a time, following requirements further only where the graph is not pruned (a
/// go.mod at go 1.17 or later lists all it needs, so its requirements' go.mod files are not read, unless the path
/// there was unpruned). Minimal version selection then picks, per module path, the highest version the graph
/// names. The modules to download: the main module's own requirements at their selected versions (go 1.17 and
/// later), or the whole build list (earlier go versions: "all").
/// </summary>
internal sealed class BuildListWalker
{
    private readonly ReplayFiles _files;
    private readonly GoModFile _main;
    private readonly SemaphoreSlim _slots;
    private readonly object _lock = new();
    private readonly Dictionary<string, Task<GoModFile?>> _loaded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unprunedSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<GoModule>> _edges = new(StringComparer.Ordinal);
    private readonly List<Task> _pending = new();

    public BuildListWalker(ReplayFiles files, GoModFile main, int concurrency)
    {
        _files = files;
        _main = main;
        _slots = new SemaphoreSlim(Math.Max(1, concurrency));
    }

    /// <summary>Reads the module graph (the .mod requests) and returns the modules `go mod download` then downloads.</summary>
    public async Task<IReadOnlyList<GoModule>> WalkAsync(CancellationToken issue)
    {
        var roots = Roots(_main, _main.Requires).ToList();
        lock (_lock)
        {
            _edges[""] = roots;
        }
        foreach (var root in roots)
        {
            Enqueue(root, _main.Pruned, issue);
        }
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                pending = _pending.Where(t => !t.IsCompleted).ToArray();
            }
            if (pending.Length == 0)
            {
                break;
            }
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        var selected = Select();
        if (_main.Pruned)
        {
            return roots.Select(r => r with { Version = selected.GetValueOrDefault(r.Path, r.Version!) }).Distinct().ToList();
        }
        return BuildList(selected);
    }

    private void Enqueue(GoModule module, bool pruned, CancellationToken issue)
    {
        lock (_lock)
        {
            if (!pruned && !_unprunedSeen.Add(module.ToString()))
            {
                return;
            }
            _pending.Add(Task.Run(() => LoadAndFollowAsync(module, pruned, issue), CancellationToken.None));
        }
    }

    private async Task LoadAndFollowAsync(GoModule module, bool pruned, CancellationToken issue)
    {
        var summary = await LoadAsync(module, issue).ConfigureAwait(false);
        if (summary is null || (pruned && summary.Pruned))
        {
            return;
        }
        // Followed only through an unpruned go.mod, and from there everything is read unpruned (modload's nextPruning).
        foreach (var requirement in Roots(_main, summary.Requires))
        {
            Enqueue(requirement, false, issue);
        }
    }

    /// <summary>The go.mod of one module version, read once (the requirements become graph edges).</summary>
    private Task<GoModFile?> LoadAsync(GoModule module, CancellationToken issue)
    {
        lock (_lock)
        {
            if (!_loaded.TryGetValue(module.ToString(), out var task))
            {
                task = LoadOnceAsync(module, issue);
                _loaded[module.ToString()] = task;
            }
            return task;
        }
    }

    private async Task<GoModFile?> LoadOnceAsync(GoModule module, CancellationToken issue)
    {
        if (issue.IsCancellationRequested)
        {
            return null;
        }
        await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var mod = await _files.ModAsync(module.Path, module.Version!, keepBody: true).ConfigureAwait(false);
            if (mod.Status == FetchStatus.NotFound)
            {
                _files.Log.ModuleNotFound(module.ToString());
            }
            if (mod.Status != FetchStatus.Ok || mod.Body is null)
            {
                return null;
            }
            var file = GoModFile.Parse(mod.Body, module.ToString(), needModuleLine: false);
            lock (_lock)
            {
                _edges[module.ToString()] = Roots(_main, file.Requires).ToList();
            }
            return file;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Requirements as the main module's replace and exclude directives leave them (a directory replacement fetches nothing).</summary>
    private static IEnumerable<GoModule> Roots(GoModFile main, IEnumerable<GoModule> requires) =>
        requires.Where(r => !main.Excludes.Contains(r.ToString())).Select(main.Replace).OfType<GoModule>();

    /// <summary>Minimal version selection over every version the graph names: the highest per path.</summary>
    private Dictionary<string, string> Select()
    {
        var selected = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var module in _edges.Values.SelectMany(e => e))
            {
                if (!selected.TryGetValue(module.Path, out var current) || GoModFile.CompareVersions(module.Version!, current) > 0)
                {
                    selected[module.Path] = module.Version!;
                }
            }
        }
        return selected;
    }

    /// <summary>
    /// The build list: every module path the graph names, at its selected version (mvs.Graph.BuildList), sorted by
    /// path — also a path only an unselected version requires, since its go.mod was read all the same.
    /// </summary>
    private static List<GoModule> BuildList(Dictionary<string, string> selected) =>
        selected.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new GoModule(kv.Key, kv.Value)).ToList();
}
