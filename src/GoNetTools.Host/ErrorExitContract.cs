using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;

namespace GoNetTools.Host;

/// <summary>
/// gonettools' exit-code contract, the one the earlier in-process host had: a -Command or -File run exits with 1
/// when any command in it reported an error, and with N after `exit N`. pwsh itself looks only at the last
/// statement ($?), so `pwsh -c 'Get-TcpTimeWait -RemoteAddress x; "done"'` exits 0. "Reported" is what
/// -ErrorVariable collects: errors a script silenced with -ErrorAction SilentlyContinue or caught with try/catch
/// count too (-ErrorAction Ignore discards one); a native command's stderr does not. The contract is kept by
/// handing pwsh a command that runs the user's text (or dot-sources the script with its arguments, bound the way
/// pwsh binds -File arguments) inside an advanced function called with -ErrorVariable, then exits 1 when that
/// variable holds anything or the last statement failed. Errors display exactly as pwsh shows them, and piped
/// input still reaches $input (the runner reads it only when the text uses it). Anything this cannot wrap safely (text that does not parse, a param block or named
/// begin/process/end blocks, -NoExit, -File -, -EncodedCommand, a missing script) goes to pwsh unchanged.
/// </summary>
internal static class ErrorExitContract
{
    private const string Runner =
        "function GoNetToolsRun { [CmdletBinding()] param([Parameter(Mandatory)] [scriptblock] $Body, " +
        "[Parameter(ValueFromPipeline)] $InputObject) end { $input | . $Body } }; ";

    private const string Call = "GoNetToolsRun -ErrorVariable GoNetToolsErrors -Body {";

    // Only when the text reads $input: enumerating it waits for standard input to end, and a caller may keep
    // that pipe open (pwsh itself reads it only when the script asks).
    private const string PipedCall = "$input | " + Call;

    private static bool ReadsInput(Ast ast) =>
        ast.Find(a => a is VariableExpressionAst v && string.Equals(v.VariablePath.UserPath, "input", StringComparison.OrdinalIgnoreCase), true) is not null;

    private static readonly Regex ParameterName = new(@"^-[\p{L}\p{N}_]+$", RegexOptions.CultureInvariant);

    /// <summary>The arguments pwsh gets: the user's, with -Command text or -File call wrapped.</summary>
    public static string[] Rewrite(string[] args)
    {
        if (args.Any(a => IsSwitch(a, "noexit", "noe")))
        {
            return args; // an interactive session follows: its variables must stay global, as pwsh leaves them
        }
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (IsSwitch(arg, "command", "c"))
            {
                var text = string.Join(' ', args.Skip(i + 1));
                var wrapped = text == "-" ? null : WrapCommand(text);
                return wrapped is null ? args : args.Take(i + 1).Append(wrapped).ToArray();
            }
            if (IsSwitch(arg, "file", "f") || !IsParameter(arg))
            {
                int pathIndex = IsParameter(arg) ? i + 1 : i;
                if (pathIndex >= args.Length)
                {
                    return args;
                }
                var wrapped = WrapFile(args[pathIndex], args.Skip(pathIndex + 1).ToArray());
                return wrapped is null ? args : args.Take(i).Append("-Command").Append(wrapped).ToArray();
            }
            if (TakesValue(arg))
            {
                i++;
            }
        }
        return args;
    }

    /// <summary>The user's command inside the runner, or null when it cannot be wrapped safely.</summary>
    internal static string? WrapCommand(string text)
    {
        var ast = Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0 || ast.BeginBlock is not null || ast.ProcessBlock is not null || ast.DynamicParamBlock is not null
            || ast.EndBlock is { Unnamed: false } || ast.ParamBlock is not null)
        {
            return null;
        }
        // `using` statements must come first: they stay outside, and the runner starts on the line they end on,
        // so the line numbers in error messages stay the user's.
        int bodyAt = ast.UsingStatements.Count == 0 ? 0 : ast.UsingStatements.Max(u => u.Extent.EndOffset);
        var separator = bodyAt == 0 ? "" : "; ";
        // After the text, $? is its last statement's: pwsh's own rule (a failing native command) still applies.
        return text[..bodyAt] + separator + "$global:GoNetToolsLastOk = $true; " + Runner + (ReadsInput(ast) ? PipedCall : Call) + text[bodyAt..] +
            "\n$global:GoNetToolsLastOk = $? }; if ($GoNetToolsErrors.Count -gt 0 -or -not $global:GoNetToolsLastOk) { exit 1 }";
    }

    /// <summary>`. 'script' args` inside the runner, or null to leave the -File run to pwsh.</summary>
    internal static string? WrapFile(string path, string[] scriptArgs)
    {
        if (path == "-" || !path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
        {
            return null;
        }
        var script = Parser.ParseFile(Path.GetFullPath(path), out _, out _);
        var call = new StringBuilder("$global:LASTEXITCODE = 0; $global:GoNetToolsScriptOk = $true; ").Append(Runner)
            .Append(ReadsInput(script) ? PipedCall : Call)
            .Append(" . ").Append(Quote(Path.GetFullPath(path)));
        string? pending = null;
        foreach (var arg in scriptArgs)
        {
            if (pending is not null)
            {
                call.Append(' ').Append(pending).Append(':').Append(Quote(arg));
                pending = null;
            }
            else if (arg.Length > 1 && arg[0] == '-' && arg.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0
                     && ParameterName.IsMatch(arg[..colon]))
            {
                if (colon == arg.Length - 1)
                {
                    pending = arg[..colon];
                }
                else
                {
                    call.Append(' ').Append(arg[..colon]).Append(':').Append(BoolOrQuoted(arg[(colon + 1)..]));
                }
            }
            else if (ParameterName.IsMatch(arg))
            {
                call.Append(' ').Append(arg);
            }
            else
            {
                call.Append(' ').Append(Quote(arg));
            }
        }
        if (pending is not null)
        {
            call.Append(' ').Append(pending);
        }
        // A script that ended with `exit N` leaves $? false and $LASTEXITCODE = N: that code wins, as in pwsh -File.
        return call.Append("; $global:GoNetToolsScriptOk = $? }; ")
            .Append("if (-not $global:GoNetToolsScriptOk -and $global:LASTEXITCODE) { exit $global:LASTEXITCODE }; ")
            .Append("if ($GoNetToolsErrors.Count -gt 0 -or -not $global:GoNetToolsScriptOk) { exit 1 }")
            .ToString();
    }

    private static string BoolOrQuoted(string value) =>
        bool.TryParse(value.StartsWith('$') ? value[1..] : value, out var b) ? (b ? "$true" : "$false") : Quote(value);

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static bool IsParameter(string arg) => arg.Length > 1 && (arg[0] == '-' || arg[0] == '/');

    /// <summary>pwsh accepts any unambiguous prefix of a parameter name; -c and -f are the documented short forms.</summary>
    private static bool IsSwitch(string arg, string name, string shortName)
    {
        if (!IsParameter(arg))
        {
            return false;
        }
        var bare = arg.TrimStart('-', '/').ToLower(CultureInfo.InvariantCulture);
        return bare == shortName || (bare.Length >= 3 && name.StartsWith(bare, StringComparison.Ordinal));
    }

    /// <summary>pwsh parameters that take a value: the value is not a -File path.</summary>
    private static readonly HashSet<string> ValueParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "-ExecutionPolicy", "-ex", "-ep", "-ConfigurationName", "-config", "-ConfigurationFile", "-CustomPipeName",
        "-InputFormat", "-inp", "-if", "-OutputFormat", "-o", "-of", "-SettingsFile", "-settings", "-WindowStyle", "-w",
        "-WorkingDirectory", "-wd", "-EncodedArguments", "-ea", "-EncodedCommand", "-e", "-ec",
    };

    private static bool TakesValue(string arg) => ValueParameters.Contains(arg) || ValueParameters.Contains("-" + arg.TrimStart('-', '/'));
}
