using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace GoNetTools.HelpGen;

/// <summary>Writes the MAML document PowerShell's Get-Help reads for binary cmdlets.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<HelpPage> pages) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), pages.Select(CommandElement)));

    private static XElement CommandElement(HelpPage page)
    {
        var dash = page.Name.IndexOf('-');
        var sets = page.SyntaxSetNames.Count > 0 ? page.SyntaxSetNames : new List<string> { "__AllParameterSets" };
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", page.Name),
                new XElement(Command + "verb", page.Name[..dash]),
                new XElement(Command + "noun", page.Name[(dash + 1)..]),
                new XElement(Maml + "description", Paras(new[] { page.Synopsis }))),
            new XElement(Maml + "description", Paras(page.Description)),
            new XElement(Command + "syntax", sets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", page.Name),
                    page.Parameters.Where(p => p.InSet(set)).Select(p => ParameterElement(p, withDescription: false))))),
            new XElement(Command + "parameters", page.Parameters.Select(p => ParameterElement(p, withDescription: true))),
            new XElement(Command + "inputTypes", page.Inputs.Select(t => TypeElement(Command + "inputType", t))),
            new XElement(Command + "returnValues", page.Outputs.Select(t => TypeElement(Command + "returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paras(e.Remarks))))),
            new XElement(Command + "relatedLinks", page.Links.Select(l =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));
    }

    private static XElement ParameterElement(HelpParameter p, bool withDescription)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.EndsWith("[]", System.StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", p.PipelineInput),
            new XAttribute("position", p.Position.ToLowerInvariant() == "named" ? "named" : p.Position),
            new XAttribute("aliases", string.IsNullOrWhiteSpace(p.Aliases) ? "none" : p.Aliases),
            new XElement(Maml + "name", p.Name));
        if (withDescription)
        {
            element.Add(new XElement(Maml + "description", Paras(p.Description)));
        }
        if (p.Type != "SwitchParameter")
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.Type));
        }
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Type), new XElement(Maml + "uri")));
        element.Add(new XElement(Dev + "defaultValue", p.DefaultValue));
        return element;
    }

    private static XElement TypeElement(XName name, HelpTypeEntry entry) =>
        new(name,
            new XElement(Dev + "type", new XElement(Maml + "name", entry.TypeName)),
            new XElement(Maml + "description", Paras(entry.Description)));

    private static IEnumerable<XElement> Paras(IEnumerable<string> texts) =>
        texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new XElement(Maml + "para", t));
}
