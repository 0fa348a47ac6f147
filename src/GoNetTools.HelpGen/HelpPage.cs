using System.Collections.Generic;

namespace GoNetTools.HelpGen;

/// <summary>One cmdlet's help, as read from a platyPS-layout markdown page.</summary>
internal sealed class HelpPage
{
    public string Name { get; set; } = "";
    public string Synopsis { get; set; } = "";
    public List<string> Description { get; } = new();
    public List<string> SyntaxSetNames { get; } = new();
    public List<HelpExample> Examples { get; } = new();
    public List<HelpParameter> Parameters { get; } = new();
    public List<HelpTypeEntry> Inputs { get; } = new();
    public List<HelpTypeEntry> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<(string Text, string Uri)> Links { get; } = new();
}

internal sealed class HelpExample
{
    public string Title { get; set; } = "";
    public string Code { get; set; } = "";
    public List<string> Remarks { get; } = new();
}

internal sealed class HelpParameter
{
    public string Name { get; set; } = "";
    public List<string> Description { get; } = new();
    public string Type { get; set; } = "Object";
    public List<string> ParameterSets { get; } = new();
    public string Aliases { get; set; } = "";
    public bool Required { get; set; }
    public string Position { get; set; } = "Named";
    public string DefaultValue { get; set; } = "None";
    public string PipelineInput { get; set; } = "False";
    public bool Globbing { get; set; }

    public bool InSet(string set) =>
        ParameterSets.Count == 0 || ParameterSets.Contains("(All)") || ParameterSets.Contains(set);
}

internal sealed class HelpTypeEntry
{
    public string TypeName { get; set; } = "";
    public List<string> Description { get; } = new();
}
