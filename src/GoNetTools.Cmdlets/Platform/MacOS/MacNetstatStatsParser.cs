using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Text;

namespace GoNetTools.Platform.MacOS;

/// <summary>
/// Parses <c>netstat -s -p tcp</c> from macOS: one counter per line, the number first, nesting by leading tabs
/// ("\t12345 packets sent" / "\t\t678 data packets (910 bytes) retransmitted"). Every number is kept under a
/// stable name made from the line's words, so scripts can rely on it:
/// <list type="bullet">
/// <item>words are CamelCased, punctuation dropped, and a plural "s" removed ("1 packet sent" and
/// "2 packets sent" both give PacketSent: netstat pluralises by the count);</item>
/// <item>an indented line is prefixed with its parents' names and "_" (PacketSent_DataPacketRetransmitted),
/// because the same text appears under several parents ("checksummed in software");</item>
/// <item>a number inside parentheses is a counter of its own, named by the words after it
/// (PacketSent_DataPacketRetransmitted_Byte, ConnectionClosed_Drop);</item>
/// <item>a number outside parentheses is part of the label (TimerDriftLessOrEqualTo10Ms, TimeLROCoalesced3Or4Packet).</item>
/// </list>
/// Pure: lines without a leading number are skipped with a warning naming them.
/// </summary>
internal static class MacNetstatStatsParser
{
    /// <summary>Adds every counter in <paramref name="reader"/> to <paramref name="raw"/>.</summary>
    public static void Parse(TextReader reader, OrderedDictionary raw, string sourceName, Action<string> warn)
    {
        var parents = new List<string>();
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || (text.EndsWith(':') && !char.IsWhiteSpace(line[0])))
            {
                continue; // "tcp:" section title
            }
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (!TryNumber(words[0], out long value))
            {
                warn($"Skipped line {lineNumber} of {sourceName}, which has no leading count: '{Shorten(text)}'.");
                continue;
            }
            int depth = Math.Max(1, CountLeadingTabs(line));
            var (name, inner) = Name(words);
            if (name.Length == 0)
            {
                warn($"Skipped line {lineNumber} of {sourceName}, which names no counter: '{Shorten(text)}'.");
                continue;
            }
            // Keep the parent chain at this depth: a line at depth d hangs under the last line at depth d-1.
            if (parents.Count >= depth)
            {
                parents.RemoveRange(depth - 1, parents.Count - depth + 1);
            }
            var path = parents.Count > 0 ? string.Join('_', parents) + "_" + name : name;
            parents.Add(name);
            Add(raw, path, value);
            foreach (var (innerName, innerValue) in inner)
            {
                Add(raw, path + "_" + innerName, innerValue);
            }
        }
    }

    /// <summary>The line's name, and the numbers in parentheses with their names.</summary>
    private static (string Name, List<(string, long)> Inner) Name(string[] words)
    {
        var name = new StringBuilder();
        var inner = new List<(string, long)>();
        StringBuilder? innerName = null;
        long innerValue = 0;
        bool inParens = false;
        for (int i = 1; i < words.Length; i++)
        {
            var word = words[i];
            bool opens = word.StartsWith('(');
            bool closes = word.EndsWith(')');
            inParens |= opens;
            var bare = word.Trim('(', ')', ',', ';');
            if (inParens && TryNumber(bare, out long number))
            {
                Flush(inner, ref innerName, innerValue);
                innerName = new StringBuilder();
                innerValue = number;
            }
            else if (innerName is not null)
            {
                AppendWord(innerName, bare); // "(910 bytes)": the words after a number name it
            }
            else if (!inParens)
            {
                // Words in parentheses without a number ("(including accepts)") are remarks. A number outside
                // parentheses is part of the label, not a counter: "timer drift less or equal to 10 ms",
                // "LRO coalesced 3 or 4 packets" (macOS netstat.tproj inet.c tcp_stats).
                AppendWord(name, bare, keepNumber: true);
            }
            if (closes)
            {
                inParens = false;
                Flush(inner, ref innerName, innerValue);
            }
        }
        Flush(inner, ref innerName, innerValue);
        return (name.ToString(), inner);
    }

    private static void Flush(List<(string, long)> inner, ref StringBuilder? innerName, long value)
    {
        if (innerName is not null)
        {
            inner.Add((innerName.Length > 0 ? innerName.ToString() : "Value", value));
            innerName = null;
        }
    }

    /// <summary>Appends a word CamelCased and singular; "in-sequence" becomes InSequence, "dup." Dup.</summary>
    private static void AppendWord(StringBuilder name, string word, bool keepNumber = false)
    {
        if (keepNumber && word.Length > 0 && word.All(char.IsAsciiDigit))
        {
            name.Append(word);
            return;
        }
        foreach (var part in word.Split('-', '/'))
        {
            var letters = new StringBuilder(part.Length);
            foreach (char c in part)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    letters.Append(c);
                }
            }
            if (letters.Length == 0 || char.IsAsciiDigit(letters[0]) && !char.IsAsciiLetter(letters[^1]))
            {
                continue; // a percentage or other figure that is not a counter
            }
            letters[0] = char.ToUpperInvariant(letters[0]);
            name.Append(Singular(letters.ToString()));
        }
    }

    /// <summary>Drops the "s" netstat adds for counts other than 1 ("packets", "RSTs"), leaving "ss"/"us"/"is" words alone.</summary>
    private static string Singular(string word) =>
        word.Length > 3 && word[^1] == 's' && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal)
            ? word[..^1] : word;

    private static void Add(OrderedDictionary raw, string name, long value)
    {
        var unique = name;
        for (int n = 2; raw.Contains(unique); n++)
        {
            unique = $"{name}_{n}"; // the same text twice under one parent: keep both, in order
        }
        raw[unique] = value;
    }

    private static bool TryNumber(string text, out long value)
    {
        bool ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number);
        value = ok ? (long)Math.Min(number, long.MaxValue) : 0;
        return ok;
    }

    private static int CountLeadingTabs(string line)
    {
        int tabs = 0;
        while (tabs < line.Length && line[tabs] == '\t')
        {
            tabs++;
        }
        return tabs;
    }

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..120] + "…";
}
