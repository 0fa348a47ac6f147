using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace GoNetTools.Foundation.Tunables;

/// <summary>One assignment of a tunable in the persisted file, its value exactly as the file spells it.</summary>
internal sealed record PersistedSetting(string Key, string Value);

/// <summary>
/// What a backup keeps of the persisted file: whether it existed, every assignment of a key GoNetTools may write
/// (in file order), whether the file ended with a newline, and a SHA-256 of its bytes. Structured and validated
/// on load: a backup can never put a line of its choosing into the file.
/// </summary>
internal sealed record PersistedState(bool Existed, IReadOnlyList<PersistedSetting> Settings, bool FinalNewline, string? Sha256);

/// <summary>How a store writes the lines it adds: "key = value" (sysctl.d) or "key=value" inside marked lines (macOS sysctl.conf).</summary>
internal sealed record PersistStyle(string Separator, string? NewFileHeader, string? BlockBegin, string? BlockEnd);

/// <summary>
/// Edits a sysctl-style file in place, pure text in and out: values of the keys we set are replaced where they
/// stand (a leading '-', the key's spelling, spacing, comments, order, other keys all stay); keys not there are
/// appended. Restore is the exact inverse for a file nobody else touched in between, so Set + Undo gives the
/// previous bytes back.
/// </summary>
internal static class PersistedFileText
{
    public static PersistedState Capture(string? text, IReadOnlySet<string> ownedKeys)
    {
        if (text is null)
        {
            return new PersistedState(false, Array.Empty<PersistedSetting>(), true, null);
        }
        var settings = new List<PersistedSetting>();
        foreach (var line in Lines(text))
        {
            if (Assignment(line.Text) is { } a && ownedKeys.Contains(a.Key))
            {
                settings.Add(new PersistedSetting(a.Key, line.Text[a.ValueStart..a.ValueEnd]));
            }
        }
        return new PersistedState(true, settings, text.Length == 0 || text.EndsWith('\n'), Hash(text));
    }

    /// <summary>SHA-256 of the text's bytes (Latin-1, byte for byte), lower-case hex.</summary>
    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.Latin1.GetBytes(text))).ToLowerInvariant();

    /// <summary>The file with <paramref name="values"/> set.</summary>
    public static string Apply(string? existing, IReadOnlyDictionary<string, string> values, PersistStyle style)
    {
        if (existing is null)
        {
            var fresh = new StringBuilder();
            foreach (var line in (style.NewFileHeader ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                fresh.Append("# ").Append(line).Append('\n');
            }
            return Append(fresh.ToString(), values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList(), style);
        }
        var found = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in Lines(existing))
        {
            if (Assignment(line.Text) is { } a && values.TryGetValue(a.Key, out var value))
            {
                found.Add(a.Key);
                text.Append(line.Text, 0, a.ValueStart).Append(value).Append(line.Text, a.ValueEnd, line.Text.Length - a.ValueEnd);
            }
            else
            {
                text.Append(line.Text);
            }
            text.Append(line.Newline);
        }
        var missing = values.Where(v => !found.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        return Append(text.ToString(), missing, style);
    }

    /// <summary>
    /// The file as <paramref name="previous"/> had it, starting from <paramref name="current"/>: owned keys get their
    /// previous values back in order, extra assignments of them go, missing ones come back at the end; every other
    /// line stays. Null means the file did not exist and should be removed.
    /// </summary>
    public static string? Restore(string? current, PersistedState previous, IReadOnlySet<string> ownedKeys, PersistStyle style)
    {
        if (!previous.Existed)
        {
            return null;
        }
        var pending = previous.Settings.GroupBy(s => s.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<string>(g.Select(s => s.Value)), StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in Lines(current ?? ""))
        {
            if (Assignment(line.Text) is { } a && ownedKeys.Contains(a.Key))
            {
                if (pending.TryGetValue(a.Key, out var values) && values.Count > 0)
                {
                    text.Append(line.Text, 0, a.ValueStart).Append(values.Dequeue()).Append(line.Text, a.ValueEnd, line.Text.Length - a.ValueEnd).Append(line.Newline);
                }
                continue; // an assignment the previous file did not have (Set appended it): it goes
            }
            text.Append(line.Text).Append(line.Newline);
        }
        var left = new List<KeyValuePair<string, string>>();
        foreach (var key in previous.Settings.Select(s => s.Key).Distinct(StringComparer.Ordinal))
        {
            while (pending[key].Count > 0)
            {
                left.Add(new(key, pending[key].Dequeue())); // someone removed it since: it comes back at the end
            }
        }
        var result = RemoveEmptyBlock(Append(text.ToString(), left, style), style);
        if (!previous.FinalNewline && result.EndsWith('\n'))
        {
            result = result[..^1];
        }
        return result;
    }

    private static string Append(string text, IReadOnlyList<KeyValuePair<string, string>> values, PersistStyle style)
    {
        if (values.Count == 0)
        {
            return text;
        }
        var lines = new StringBuilder();
        foreach (var (key, value) in values)
        {
            lines.Append(key).Append(style.Separator).Append(value).Append('\n');
        }
        if (style.BlockBegin is not null && style.BlockEnd is not null)
        {
            var end = text.IndexOf("\n" + style.BlockEnd, StringComparison.Ordinal);
            if (text.Contains(style.BlockBegin, StringComparison.Ordinal) && end >= 0)
            {
                return text.Insert(end + 1, lines.ToString());
            }
            lines.Insert(0, style.BlockBegin + "\n").Append(style.BlockEnd).Append('\n');
        }
        var separator = text.Length > 0 && !text.EndsWith('\n') ? "\n" : "";
        return text + separator + lines;
    }

    private static string RemoveEmptyBlock(string text, PersistStyle style) =>
        style.BlockBegin is null ? text : text.Replace(style.BlockBegin + "\n" + style.BlockEnd + "\n", "", StringComparison.Ordinal);

    /// <summary>"[-]key = value": the key (normalised) and where the value stands; null for comments and other lines.</summary>
    private static (string Key, int ValueStart, int ValueEnd)? Assignment(string line)
    {
        var trimmed = line.TrimStart(' ', '\t');
        if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
        {
            return null;
        }
        var eq = line.IndexOf('=');
        if (eq <= 0)
        {
            return null;
        }
        var key = SysctlConfig.NormalizeKey(line[..eq]);
        var start = eq + 1;
        while (start < line.Length && line[start] is ' ' or '\t')
        {
            start++;
        }
        var end = line.Length;
        while (end > start && line[end - 1] is ' ' or '\t' or '\r')
        {
            end--;
        }
        return key.Length == 0 ? null : (key, start, end);
    }

    private static IEnumerable<(string Text, string Newline)> Lines(string text)
    {
        var at = 0;
        while (at < text.Length)
        {
            var nl = text.IndexOf('\n', at);
            if (nl < 0)
            {
                yield return (text[at..], "");
                yield break;
            }
            yield return (text[at..nl], "\n");
            at = nl + 1;
        }
    }
}
