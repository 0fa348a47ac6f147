using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace GoNetTools.HelpGen;

/// <summary>
/// Build step: writes out/GoNetTools/GoNetTools.psd1 with the version from Directory.Build.props,
/// en-US/GoNetTools.Cmdlets.dll-Help.xml from the cmdlet pages, and about_*.help.txt from the about pages.
/// Fails the build when a page lacks a synopsis, an example pair, or a described parameter.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = ParseArgs(args);
        if (!options.TryGetValue("--docs", out var docs) || !options.TryGetValue("--out", out var outDir)
            || !options.TryGetValue("--manifest", out var manifest) || !options.TryGetValue("--version", out var version))
        {
            Console.Error.WriteLine("usage: GoNetTools.HelpGen --docs <dir> --manifest <psd1> --version <x.y.z> --out <dir>");
            return 2;
        }

        Directory.CreateDirectory(outDir);
        var manifestText = File.ReadAllText(manifest);
        manifestText = Regex.Replace(manifestText, @"ModuleVersion\s*=\s*'[^']*'", $"ModuleVersion = '{version}'");
        WriteIfChanged(Path.Combine(outDir, "GoNetTools.psd1"), manifestText);

        var problems = new List<string>();
        var pages = new List<HelpPage>();
        foreach (var file in Directory.EnumerateFiles(docs, "*-*.md").OrderBy(f => f, StringComparer.Ordinal))
        {
            var page = MarkdownHelpReader.Read(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            if (page.Name.Length == 0 || !page.Name.Contains('-')) problems.Add($"{name}: no '# Verb-Noun' title");
            if (page.Synopsis.Length == 0) problems.Add($"{name}: empty SYNOPSIS");
            if (page.Examples.Count < 2) problems.Add($"{name}: {page.Examples.Count} example(s), at least 2 needed");
            problems.AddRange(page.Examples.Where(e => e.Code.Length == 0).Select(e => $"{name}: example '{e.Title}' has no code"));
            problems.AddRange(page.Parameters.Where(p => p.Description.Count == 0).Select(p => $"{name}: -{p.Name} has no description"));
            pages.Add(page);
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"error HELP001: {problem}");
            }
            return 1;
        }

        var culture = Path.Combine(outDir, "en-US");
        Directory.CreateDirectory(culture);
        using (var writer = new StringWriter())
        {
            MamlWriter.Write(pages).Save(writer);
            WriteIfChanged(Path.Combine(culture, "GoNetTools.Cmdlets.dll-Help.xml"), writer.ToString());
        }
        foreach (var about in Directory.EnumerateFiles(docs, "about_*.md"))
        {
            var topic = Path.GetFileNameWithoutExtension(about);
            WriteIfChanged(Path.Combine(culture, topic + ".help.txt"), AboutText(File.ReadAllText(about)));
        }
        Console.WriteLine($"HelpGen: {pages.Count} cmdlet page(s) -> {culture}");
        return 0;
    }

    /// <summary>about_ topics are plain text; drop the markdown heading marks and fences, keep the words.</summary>
    private static string AboutText(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n')
            .Where(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => l.StartsWith('#') ? l.TrimStart('#').Trim().ToUpperInvariant() : l);
        return string.Join(Environment.NewLine, lines);
    }

    private static void WriteIfChanged(string path, string content)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != content)
        {
            File.WriteAllText(path, content);
        }
    }

    private static Dictionary<string, string> ParseArgs(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i]] = args[i + 1];
        }
        return map;
    }
}
