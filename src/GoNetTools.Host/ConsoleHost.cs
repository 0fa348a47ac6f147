using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace GoNetTools.Host;

/// <summary>
/// A small PSHost for a console (or a pipe): output, warnings and errors as pwsh writes them, prompts
/// read from standard input, and progress drawn on one line of standard error when it is a terminal.
/// </summary>
public sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUserInterface _ui;

    /// <summary>Creates the host; <paramref name="output"/> and <paramref name="error"/> default to the console.</summary>
    public ConsoleHost(System.IO.TextWriter? output = null, System.IO.TextWriter? error = null, System.IO.TextReader? input = null)
    {
        _ui = new ConsoleUserInterface(output ?? Console.Out, error ?? Console.Error, input ?? Console.In);
        PlainText = output is not null;
    }

    /// <summary>True when output goes to a writer rather than the console: no escape sequences then.</summary>
    public bool PlainText { get; }

    /// <summary>The exit code a script asked for with `exit N`, if any.</summary>
    public int? ExitCode { get; private set; }

    public override string Name => "gonettools";
    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by gonettools.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by gonettools.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

internal sealed class ConsoleUserInterface : PSHostUserInterface
{
    private readonly System.IO.TextWriter _out;
    private readonly System.IO.TextWriter _err;
    private readonly System.IO.TextReader _in;
    private readonly ConsoleRawUserInterface _raw;
    private readonly bool _drawProgress;
    private bool _progressShown;

    public ConsoleUserInterface(System.IO.TextWriter output, System.IO.TextWriter error, System.IO.TextReader input)
    {
        _out = output;
        _err = error;
        _in = input;
        _drawProgress = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        _raw = new ConsoleRawUserInterface(ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
    }

    public override PSHostRawUserInterface RawUI => _raw;

    /// <summary>Escape sequences only for a terminal; pipes and files get plain text.</summary>
    public override bool SupportsVirtualTerminal => _raw.IsTerminal;

    private string Render(string value) => _raw.IsTerminal ? value : EscapeSequence.Replace(value, "");

    private static readonly System.Text.RegularExpressions.Regex EscapeSequence =
        new("\u001b\\[[0-9;?]*[A-Za-z]", System.Text.RegularExpressions.RegexOptions.Compiled);

    public override void Write(string value) { ClearProgress(); _out.Write(Render(value)); }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
    public override void WriteLine(string value) { ClearProgress(); _out.WriteLine(Render(value)); }
    public override void WriteErrorLine(string value) { ClearProgress(); _err.WriteLine(Console.IsErrorRedirected || !_raw.IsTerminal ? EscapeSequence.Replace(value, "") : value); }
    public override void WriteWarningLine(string message) { ClearProgress(); _err.WriteLine("WARNING: " + message); }
    public override void WriteVerboseLine(string message) { ClearProgress(); _err.WriteLine("VERBOSE: " + message); }
    public override void WriteDebugLine(string message) { ClearProgress(); _err.WriteLine("DEBUG: " + message); }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (!_drawProgress)
        {
            return;
        }
        if (record.RecordType == ProgressRecordType.Completed)
        {
            ClearProgress();
            return;
        }
        var text = $"{record.Activity}: {record.StatusDescription}";
        if (record.PercentComplete >= 0)
        {
            text += $" [{record.PercentComplete}%]";
        }
        int width = Math.Max(20, _raw.BufferSize.Width - 1);
        text = text.Length > width ? text[..width] : text.PadRight(width);
        _err.Write("\r" + text + "\r");
        _progressShown = true;
    }

    private void ClearProgress()
    {
        if (_progressShown)
        {
            _err.Write("\r" + new string(' ', Math.Max(20, _raw.BufferSize.Width - 1)) + "\r");
            _progressShown = false;
        }
    }

    public override string ReadLine() =>
        _in.ReadLine() ?? throw new PSInvalidOperationException("Standard input is closed: gonettools cannot prompt. Pass -Confirm:$false or -Force to run without prompting.");

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine())
        {
            secure.AppendChar(c);
        }
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        WriteLine(caption);
        WriteLine(message);
        var answers = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            Write(field.Name + ": ");
            answers[field.Name] = PSObject.AsPSObject(ReadLine());
        }
        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WriteLine(caption);
        WriteLine(message);
        var labels = new List<string>();
        foreach (var choice in choices)
        {
            labels.Add($"[{HotKey(choice.Label)}] {choice.Label.Replace("&", "", StringComparison.Ordinal)}");
        }
        while (true)
        {
            Write(string.Join("  ", labels) + $" (default is \"{HotKey(choices[defaultChoice].Label)}\"): ");
            var answer = ReadLine().Trim();
            if (answer.Length == 0)
            {
                return defaultChoice;
            }
            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, HotKey(choices[i].Label), StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, choices[i].Label.Replace("&", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    private static string HotKey(string label)
    {
        int amp = label.IndexOf('&', StringComparison.Ordinal);
        return amp >= 0 && amp + 1 < label.Length ? label[amp + 1].ToString() : label;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new NotSupportedException("gonettools does not prompt for credentials.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new NotSupportedException("gonettools does not prompt for credentials.");
}

internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
{
    private readonly bool _terminal;

    public ConsoleRawUserInterface(bool terminal) => _terminal = terminal;

    public bool IsTerminal => _terminal;

    // Out-Default lays tables out to this width: the terminal's, or a wide page when output is piped.
    private int Width => _terminal && Console.WindowWidth > 0 ? Console.WindowWidth : 160;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get => new(Width, 9999); set { } }
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; } = 1;
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(Width, 9999);
    public override Size MaxWindowSize => new(Width, 9999);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get => new(Width, 50); set { } }
    public override string WindowTitle { get; set; } = "gonettools";
    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("gonettools reads lines, not keys.");
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
}
