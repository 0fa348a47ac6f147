using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using GoNetTools.Protocols.Text;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Tuning;

/// <summary>
/// Reads a backup file as untrusted input: every field is checked for type and shape, every tunable against the
/// catalog and the rules Set-TcpTuning applies, every persisted key/value likewise. The first problem becomes
/// TuningBackupInvalid naming the field ("Values.FinWait2Timeout", "PersistedSettings[2].Key"), before anything
/// is applied. Pure: text in, snapshot out.
/// </summary>
internal static class TuningBackupReader
{
    /// <summary>Backups are a few KB; anything far larger is not one.</summary>
    public const long MaxBytes = 1 << 20;

    private static readonly string[] KnownOs = { "linux", "windows", "macos" };

    /// <summary>Parses and validates; <paramref name="persistPath"/> and <paramref name="persistKeys"/> are this store's.</summary>
    /// <exception cref="GoNetToolsException">TuningBackupInvalid naming the field.</exception>
    public static TuningSnapshot Read(string path, string json, TunableCatalog catalog, string? persistPath, IReadOnlySet<string> persistKeys)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Invalid(path, "(file)", $"it is not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "(file)", "it is not a JSON object");
            }
            var snapshot = new TuningSnapshot
            {
                Version = Int(path, root, "Version"),
                Time = root.TryGetProperty("Time", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTime(out var time) ? time
                    : throw Invalid(path, "Time", "it is missing or not a date"),
                Host = Text(path, root, "Host", 255, required: true)!,
                Os = Text(path, root, "Os", 16, required: true)!,
                Scope = Text(path, root, "Scope", 512, required: true)!,
                NamespaceInode = Number(path, root, "NamespaceInode"),
                NamespaceName = Text(path, root, "NamespaceName", 255, required: false),
                NamespaceCookie = Number(path, root, "NamespaceCookie"),
                Operation = Text(path, root, "Operation", 512, required: false) ?? "",
                PersistPath = Text(path, root, "PersistPath", 4096, required: false),
            };
            if (snapshot.Version is not (1 or TuningSnapshot.CurrentVersion))
            {
                throw Invalid(path, "Version", $"{snapshot.Version} is not a backup version GoNetTools knows (1, 2)");
            }
            if (!KnownOs.Contains(snapshot.Os))
            {
                throw Invalid(path, "Os", $"'{snapshot.Os}' is not linux, windows or macos");
            }
            if (snapshot.NamespaceName is { } ns && (ns.Contains('/') || ns is "." or ".."))
            {
                throw Invalid(path, "NamespaceName", "it is not a namespace name");
            }
            ReadValues(path, root, snapshot, catalog);
            ReadPersisted(path, root, snapshot, catalog, persistPath, persistKeys);
            return snapshot;
        }
    }

    private static void ReadValues(string path, JsonElement root, TuningSnapshot snapshot, TunableCatalog catalog)
    {
        if (!root.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Values", "it is missing or not an object of tunable name to value");
        }
        foreach (var entry in values.EnumerateObject())
        {
            var field = "Values." + entry.Name;
            var definition = catalog.For(snapshot.Os).FirstOrDefault(d => string.Equals(d.Name, entry.Name, StringComparison.Ordinal));
            if (definition is null || definition.ReadOnly)
            {
                throw Invalid(path, field, $"'{entry.Name}' is not a writable {snapshot.Os} tunable in GoNetTools' catalog");
            }
            if (snapshot.Values.ContainsKey(definition.Name))
            {
                throw Invalid(path, field, "it appears twice");
            }
            snapshot.Values[definition.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.Null when definition.UnsetAllowed => null,
                JsonValueKind.String => entry.Value.GetString(),
                _ => throw Invalid(path, field, definition.UnsetAllowed ? "it is not a string or null" : "it is not a string"),
            };
        }
        // Values are checked with the rules of Set-TcpTuning. A never-lower tunable may go back down (that undoes a
        // raise) but not below the ephemeral port count, where TIME_WAIT overflows (Test-TcpTuning's own rule).
        var ports = snapshot.Values.TryGetValue("LocalPortRange", out var range) && TunableValue.ParseRange(range) is var (a, b) ? b - a + 1 : 0;
        foreach (var (name, value) in snapshot.Values.ToList())
        {
            var definition = catalog.Find(snapshot.Os, name)!;
            snapshot.Values[name] = Check(path, "Values." + name, definition, value);
            if (definition.NeverLower && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < ports)
            {
                throw Invalid(path, "Values." + name, $"{n} is below the {ports} ephemeral ports: closing sockets would skip TIME_WAIT");
            }
        }
        if (root.TryGetProperty("Keys", out var keys) && keys.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in keys.EnumerateObject())
            {
                var definition = catalog.Find(snapshot.Os, entry.Name);
                if (!snapshot.Values.ContainsKey(entry.Name) || definition is null || entry.Value.ValueKind != JsonValueKind.String
                    || !string.Equals(entry.Value.GetString(), definition.Key, StringComparison.Ordinal))
                {
                    throw Invalid(path, "Keys." + entry.Name, "it does not name the catalog key of a tunable in Values");
                }
                snapshot.Keys[entry.Name] = definition.Key;
            }
        }
        else if (root.TryGetProperty("Keys", out var badKeys) && badKeys.ValueKind != JsonValueKind.Null)
        {
            throw Invalid(path, "Keys", "it is not an object");
        }
    }

    private static void ReadPersisted(string path, JsonElement root, TuningSnapshot snapshot, TunableCatalog catalog, string? persistPath, IReadOnlySet<string> persistKeys)
    {
        if (snapshot.PersistPath is not null && !string.Equals(snapshot.PersistPath, persistPath, StringComparison.Ordinal))
        {
            throw Invalid(path, "PersistPath", $"it names '{snapshot.PersistPath}', not the file GoNetTools persists to here ({persistPath ?? "none"})");
        }
        if (snapshot.Version == 1)
        {
            // Version 1 kept the file as text ("PersistedPrevious"). Text is never replayed: only live values restore.
            snapshot.PersistPath = null;
            return;
        }
        snapshot.PersistedExisted = Bool(path, root, "PersistedExisted");
        snapshot.PersistedFinalNewline = !root.TryGetProperty("PersistedFinalNewline", out _) || Bool(path, root, "PersistedFinalNewline");
        snapshot.PersistedSha256 = Text(path, root, "PersistedSha256", 64, required: false);
        if (snapshot.PersistedSha256 is { } sha && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
        {
            throw Invalid(path, "PersistedSha256", "it is not a SHA-256 in hex");
        }
        if (!root.TryGetProperty("PersistedSettings", out var settings) || settings.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (settings.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "PersistedSettings", "it is not a list of {Key, Value}");
        }
        var i = 0;
        foreach (var item in settings.EnumerateArray())
        {
            var field = $"PersistedSettings[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, field, "it is not an object with Key and Value");
            }
            var key = Text(path, item, "Key", 128, required: true, prefix: field + ".")!;
            var value = Text(path, item, "Value", 4096, required: true, prefix: field + ".", allowTab: true)!;
            if (!persistKeys.Contains(key))
            {
                throw Invalid(path, field + ".Key", $"'{key}' is not a key GoNetTools writes to {persistPath ?? "the persisted file"}");
            }
            if (!snapshot.PersistedExisted)
            {
                throw Invalid(path, field, "the file did not exist (PersistedExisted is false) yet it lists a setting");
            }
            CheckPersisted(path, field + ".Value", catalog, snapshot.Os, key, value);
            snapshot.PersistedSettings.Add(new PersistedSetting(key, value));
        }
    }

    /// <summary>A persisted value: only digits, spaces, tabs, commas and dashes, and valid for its tunable.</summary>
    private static void CheckPersisted(string path, string field, TunableCatalog catalog, string os, string key, string value)
    {
        if (value.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '\t' or ',' or '-')))
        {
            throw Invalid(path, field, $"'{Shown(value)}' is not a tunable value (digits, spaces, commas and dashes only)");
        }
        var whole = catalog.For(os).FirstOrDefault(d => d.Key == key);
        if (whole is not null)
        {
            Check(path, field, whole, TunableValue.Clean(value));
            return;
        }
        // One part of a split key (macOS portrange.first / .last): a number within the tunable's bounds.
        var part = catalog.For(os).First(d => d.Key.Split(' ').Contains(key));
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < part.Min || n > part.Max)
        {
            throw Invalid(path, field, $"'{Shown(value)}' is not a number from {part.Min} to {part.Max}");
        }
    }

    private static string? Check(string path, string field, TunableDefinition definition, string? value)
    {
        if (value is not null && (value.Length > 256 || value.Any(char.IsControl)))
        {
            throw Invalid(path, field, value.Length > 256 ? "the value is longer than any tunable's" : "the value holds control characters");
        }
        try
        {
            return TunableValue.Validate(definition, value, current: null);
        }
        catch (GoNetToolsException e)
        {
            throw Invalid(path, field, e.Message);
        }
    }

    private static int Int(string path, JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n
            : throw Invalid(path, name, "it is missing or not a whole number");

    private static ulong? Number(string path, JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n
            : throw Invalid(path, name, "it is not a whole number");

    private static bool Bool(string path, JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
            : throw Invalid(path, name, "it is missing or not true/false");

    /// <summary>A string field without control characters (they would reach the terminal).</summary>
    private static string? Text(string path, JsonElement root, string name, int maxLength, bool required, string prefix = "", bool allowTab = false)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid(path, prefix + name, "it is missing") : null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, prefix + name, "it is not a string");
        }
        var text = v.GetString()!;
        if (text.Length > maxLength || text.Any(c => char.IsControl(c) && !(allowTab && c == '\t')))
        {
            throw Invalid(path, prefix + name, text.Length > maxLength ? $"it is longer than {maxLength} characters" : "it holds control characters");
        }
        return text;
    }

    private static string Shown(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static GoNetToolsException Invalid(string path, string field, string why) =>
        new(ErrorIds.TuningBackupInvalid, FailureKind.InvalidData,
            $"{path} is not a valid GoNetTools tuning backup: {WireText.Escape(field)}: {WireText.Escape(why)}. Nothing was restored from it.",
            "Use a backup listed by Get-TcpTuningBackup; backups are written by Set-TcpTuning and are not meant to be edited.");
}
