using System;
using System.Collections.Generic;
using System.Linq;
using GoNetTools.Platform;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>Reads a store into model objects, states and snapshots: the glue shared by the tuning cmdlets.</summary>
internal sealed class TuningInventory
{
    public TuningInventory(ITunableStore store, TunableCatalog catalog)
    {
        Store = store;
        Catalog = catalog;
        Definitions = catalog.For(store.Os).ToList();
    }

    public ITunableStore Store { get; }

    public TunableCatalog Catalog { get; }

    public IReadOnlyList<TunableDefinition> Definitions { get; }

    /// <summary>Finds a tunable of this OS by name or key; null for anything else (paths, unknown keys).</summary>
    public TunableDefinition? Find(string nameOrKey) => Catalog.Find(Store.Os, nameOrKey);

    public TcpTunable Describe(TunableDefinition definition, IReadOnlyDictionary<string, ConfigSetting> boot, TuningProfile? profile)
    {
        var live = Store.ReadLive(definition);
        boot.TryGetValue(definition.Key, out var persisted);
        var wanted = profile?.Values.FirstOrDefault(v => string.Equals(v.Name, definition.Name, StringComparison.OrdinalIgnoreCase));
        return new TcpTunable
        {
            Name = definition.Name,
            Key = definition.Key,
            Value = live,
            ValueText = live ?? Store.DescribeAbsent(definition),
            DefaultValue = definition.Default,
            Unit = definition.Unit,
            Profile = profile?.Name,
            InProfile = wanted is not null,
            ProfileValue = wanted?.Value,
            ProfileRationale = wanted?.Rationale,
            Compliant = wanted is null ? null : string.Equals(live, wanted.Value, StringComparison.Ordinal),
            Scope = Store.Scope,
            Persisted = persisted?.Value,
            PersistedSource = persisted?.Evidence,
            RequiresReboot = definition.RequiresReboot,
            ReadOnly = definition.ReadOnly,
            Description = definition.Description,
            Source = definition.Source,
        };
    }

    public IReadOnlyDictionary<string, ConfigSetting> EffectiveBootConfig() => SysctlConfig.Effective(Store.ReadBootConfig());

    public TuningState State() => new(Store.Os, Store.Scope, Definitions,
        Definitions.ToDictionary(d => d.Name, d => Store.ReadLive(d)), Store.ReadBootConfig());

    /// <summary>Every writable tunable's value now, and our persisted file, before anything changes.</summary>
    public TuningSnapshot Snapshot(string operation)
    {
        var snapshot = new TuningSnapshot
        {
            Time = DateTime.UtcNow,
            Host = Environment.MachineName,
            Os = Store.Os,
            Scope = Store.Scope,
            NamespaceInode = Store.NamespaceInode,
            NamespaceName = Store.NamespaceName,
            NamespaceCookie = Store.NamespaceCookie,
            Operation = operation,
        };
        if (Store.PersistPath is not null)
        {
            var persisted = Store.CapturePersisted();
            snapshot.PersistPath = Store.PersistPath;
            snapshot.PersistedExisted = persisted.Existed;
            snapshot.PersistedSettings = persisted.Settings.ToList();
            snapshot.PersistedFinalNewline = persisted.FinalNewline;
            snapshot.PersistedSha256 = persisted.Sha256;
        }
        foreach (var definition in Definitions.Where(d => !d.ReadOnly))
        {
            var value = Store.ReadLive(definition);
            if (value is not null || definition.UnsetAllowed)
            {
                snapshot.Values[definition.Name] = value;
                snapshot.Keys[definition.Name] = definition.Key;
            }
        }
        return snapshot;
    }

    public static TcpTuningBackup ToBackup(string path, TuningSnapshot snapshot)
    {
        var values = new System.Collections.Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in snapshot.Values)
        {
            values[name] = value;
        }
        return new TcpTuningBackup
        {
            Path = path, Time = snapshot.Time, Host = snapshot.Host, Scope = snapshot.Scope,
            NamespaceInode = snapshot.NamespaceInode, NamespaceName = snapshot.NamespaceName, Operation = snapshot.Operation,
            Values = values, PersistPath = snapshot.PersistPath, PersistedExisted = snapshot.PersistedExisted,
            NamespaceCookie = snapshot.NamespaceCookie, Version = snapshot.Version,
        };
    }
}
