using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace GoNetTools.Foundation.Tunables;

/// <summary>One assignment in a boot-time configuration file (sysctl.d, sysctl.conf, the registry).</summary>
internal sealed record ConfigSetting(string Key, string Value, string File, int Line, string Text)
{
    /// <summary>"file:line: text", the evidence a finding quotes.</summary>
    public string Evidence => Line > 0 ? $"{File}:{Line}: {Text}" : $"{File}: {Text}";
}

/// <summary>
/// sysctl.d(5) / sysctl.conf(5) lines: "key = value", '#' and ';' comments, a leading '-' (ignore errors),
/// '/' as separator ("net/ipv4/tcp_tw_reuse"). Pure: text in, settings out.
/// </summary>
internal static class SysctlConfig
{
    public static IEnumerable<ConfigSetting> Parse(string file, string content)
    {
        var lines = content.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            var eq = line.IndexOf('=');
            var colon = line.IndexOf(':');
            var split = eq >= 0 ? eq : colon; // macOS `sysctl -a` style "key: value" is accepted too
            if (split <= 0)
            {
                continue;
            }
            var key = NormalizeKey(line[..split]);
            if (key.Length == 0)
            {
                continue;
            }
            yield return new ConfigSetting(key, TunableValue.Clean(line[(split + 1)..]), file, i + 1, line);
        }
    }

    /// <summary>"-net/ipv4/tcp_tw_reuse " → "net.ipv4.tcp_tw_reuse".</summary>
    public static string NormalizeKey(string key)
    {
        key = key.Trim().TrimStart('-').Trim();
        return key.Contains('/') ? key.Replace('/', '.') : key;
    }

    /// <summary>The last assignment of each key wins, as when the files are applied in order.</summary>
    public static Dictionary<string, ConfigSetting> Effective(IEnumerable<ConfigSetting> settingsInLoadOrder)
    {
        var effective = new Dictionary<string, ConfigSetting>(StringComparer.Ordinal);
        foreach (var setting in settingsInLoadOrder)
        {
            effective[setting.Key] = setting;
        }
        return effective;
    }
}
