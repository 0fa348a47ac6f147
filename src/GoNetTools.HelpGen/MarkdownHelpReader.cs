using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace GoNetTools.HelpGen;

/// <summary>
/// Reads a cmdlet page in platyPS's layout: H1 name, H2 sections (SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES,
/// PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS), H3 per example / parameter / type, and a yaml fence
/// under each parameter with its metadata.
/// </summary>
internal static class MarkdownHelpReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static HelpPage Read(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var page = new HelpPage();
        string section = "";
        HelpExample? example = null;
        HelpParameter? parameter = null;
        HelpTypeEntry? typeEntry = null;

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                    break;
                case HeadingBlock { Level: 1 } h1:
                    page.Name = InlineText(h1.Inline).Trim();
                    break;
                case HeadingBlock { Level: 2 } h2:
                    section = InlineText(h2.Inline).Trim().ToUpperInvariant();
                    example = null; parameter = null; typeEntry = null;
                    break;
                case HeadingBlock { Level: 3 } h3:
                    var title = InlineText(h3.Inline).Trim();
                    switch (section)
                    {
                        case "EXAMPLES":
                            example = new HelpExample { Title = title };
                            page.Examples.Add(example);
                            break;
                        case "PARAMETERS" when title.StartsWith('-'):
                            parameter = new HelpParameter { Name = title.TrimStart('-') };
                            page.Parameters.Add(parameter);
                            break;
                        case "PARAMETERS":
                            parameter = null; // CommonParameters
                            break;
                        case "INPUTS":
                            typeEntry = new HelpTypeEntry { TypeName = title };
                            page.Inputs.Add(typeEntry);
                            break;
                        case "OUTPUTS":
                            typeEntry = new HelpTypeEntry { TypeName = title };
                            page.Outputs.Add(typeEntry);
                            break;
                        case "SYNTAX":
                            page.SyntaxSetNames.Add(title);
                            break;
                    }
                    break;
                case FencedCodeBlock fence:
                    var code = fence.Lines.ToString().TrimEnd();
                    if (section == "EXAMPLES" && example is not null && example.Code.Length == 0)
                    {
                        example.Code = code;
                    }
                    else if (section == "EXAMPLES" && example is not null)
                    {
                        // A second fence is the example's output: shown with the remarks, line for line.
                        example.Remarks.Add(code);
                    }
                    else if (section == "PARAMETERS" && parameter is not null && fence.Info == "yaml")
                    {
                        ApplyMetadata(parameter, code);
                    }
                    break;
                case ParagraphBlock or ListBlock or QuoteBlock:
                    var text = BlockText(block);
                    switch (section)
                    {
                        case "SYNOPSIS": page.Synopsis = Join(page.Synopsis, text); break;
                        case "DESCRIPTION": page.Description.Add(text); break;
                        case "EXAMPLES": example?.Remarks.Add(text); break;
                        case "PARAMETERS": parameter?.Description.Add(text); break;
                        case "INPUTS" or "OUTPUTS": typeEntry?.Description.Add(text); break;
                        case "NOTES": page.Notes.Add(text); break;
                        case "RELATED LINKS": AddLinks(page, block); break;
                    }
                    break;
            }
        }
        return page;
    }

    private static void ApplyMetadata(HelpParameter parameter, string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Type": parameter.Type = value; break;
                case "Parameter Sets":
                    parameter.ParameterSets.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "Aliases": parameter.Aliases = value; break;
                case "Required": parameter.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "Position": parameter.Position = value; break;
                case "Default value": parameter.DefaultValue = value; break;
                case "Accept pipeline input": parameter.PipelineInput = value; break;
                case "Accept wildcard characters": parameter.Globbing = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
            }
        }
    }

    private static void AddLinks(HelpPage page, Block block)
    {
        foreach (var link in block.Descendants<LinkInline>())
        {
            var text = InlineText(link);
            var url = link.Url ?? "";
            page.Links.Add((text, url.StartsWith("http", StringComparison.Ordinal) ? url : ""));
        }
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + " " + b;

    private static string BlockText(Block block)
    {
        var sb = new StringBuilder();
        switch (block)
        {
            case ParagraphBlock p:
                sb.Append(InlineText(p.Inline));
                break;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }
                    sb.Append("- ").Append(string.Join(" ", item.Select(BlockText)));
                }
                break;
            case ContainerBlock container:
                sb.Append(string.Join("\n", container.Select(BlockText)));
                break;
        }
        return sb.ToString();
    }

    private static string InlineText(Inline? inline)
    {
        if (inline is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        Append(sb, inline);
        return sb.ToString();

        static void Append(StringBuilder sb, Inline node)
        {
            switch (node)
            {
                case LiteralInline literal: sb.Append(literal.Content.ToString()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline: sb.Append(' '); break;
                case HtmlEntityInline entity: sb.Append(entity.Transcoded.ToString()); break;
                case ContainerInline container:
                    foreach (var child in container)
                    {
                        Append(sb, child);
                    }
                    break;
            }
        }
    }
}
