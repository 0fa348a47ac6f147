using System;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;

namespace GoNetTools.Platform.Linux;

/// <summary>
/// Parses the counter files of a network namespace into nstat's names: /proc/net/snmp and /proc/net/netstat
/// hold pairs of lines ("Tcp: ActiveOpens …" then "Tcp: 12 …") giving TcpActiveOpens, TcpExtTW…;
/// /proc/net/sockstat holds "TCP: inuse 5 orphan 0 tw 3 …" giving SockstatTcpTw (the TIME_WAIT population).
/// </summary>
internal static class ProcNetCounterParser
{
    /// <summary>Adds every header/value pair in <paramref name="reader"/> to <paramref name="into"/>.</summary>
    public static void ParsePairs(TextReader reader, OrderedDictionary into, string sourceName, Action<string> warn)
    {
        string? header;
        int lineNumber = 0;
        while ((header = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var values = reader.ReadLine();
            lineNumber++;
            if (header.Length == 0)
            {
                continue;
            }
            var names = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var numbers = values?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (numbers is null || names.Length != numbers.Length || names.Length < 2 || !names[0].EndsWith(':') || names[0] != numbers[0])
            {
                warn($"Skipped malformed counter lines {lineNumber - 1}-{lineNumber} of {sourceName}.");
                continue;
            }
            var prefix = names[0].TrimEnd(':');
            for (int i = 1; i < names.Length; i++)
            {
                if (long.TryParse(numbers[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    into[prefix + names[i]] = value;
                }
                else
                {
                    warn($"Skipped counter {prefix}{names[i]} in {sourceName}: '{numbers[i]}' is not a number.");
                }
            }
        }
    }

    /// <summary>Adds the sockstat lines ("TCP: inuse 5 orphan 0 tw 3 alloc 7 mem 1") as SockstatTcpInuse, SockstatTcpTw….</summary>
    public static void ParseSockstat(TextReader reader, OrderedDictionary into, string sourceName, Action<string> warn)
    {
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }
            if (fields.Length % 2 == 0 || !fields[0].EndsWith(':'))
            {
                warn($"Skipped malformed line {lineNumber} of {sourceName}: '{line.Trim()}'.");
                continue;
            }
            var prefix = "Sockstat" + Title(fields[0].TrimEnd(':'));
            for (int i = 1; i + 1 < fields.Length; i += 2)
            {
                if (long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    into[prefix + Title(fields[i])] = value;
                }
            }
        }
    }

    private static string Title(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();
}
