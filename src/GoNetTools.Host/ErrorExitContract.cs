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
/// gonettools' exit-code contract: a -Command or -File run exits with 1 when anything in it wrote an error
/// record, and with N after `exit N`. pwsh itself looks only at the last statement ($?), so
/// `pwsh -c 'Get-TcpTimeWait -RemoteAddress x; "done"'` exits 0. The contract is kept by handing pwsh a
/// command that remembers the newest entry of $Error, runs the user's text (or dot-sources the script with
/// its arguments, bound the way pwsh binds -File arguments), and ends with `exit 1` when $Error has a newer
/// entry or the last statement failed. Anything this cannot wrap safely (text that does not parse, named
/// begin/process/end blocks, -File -, -EncodedCommand, a missing script) goes to pwsh unchanged.
/// </summary>
internal static class ErrorExitContract
{
    private const string Mark = "$__GoNetToolsErrorMark";

    private static readonly string Prefix =
        $"{Mark} = if ($global:Error.Count) {{ $global:Error[0] }} else {{ $null }}; ";

    private static readonly Regex ParameterName = new(@"^-[\p{L}\p{N}_]+$", RegexOptions.CultureInvariant);

    /// <summary>The arguments pwsh gets: the user's, with -Command text or -File call wrapped.</summary>
    public static string[] Rewrite(string[] args)
    {
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

    /// <summary>The user's command between the mark and the check, or null when it cannot be wrapped safely.</summary>
    internal static string? WrapCommand(string text)
    {
        var ast = Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0 || ast.BeginBlock is not null || ast.ProcessBlock is not null || ast.DynamicParamBlock is not null
            || ast.EndBlock is { Unnamed: false })
        {
            return null;
        }
        // `using` statements and a param block must come first: the mark goes after them.
        int insertAt = 0;
        if (ast.ParamBlock is not null)
        {
            insertAt = ast.ParamBlock.Extent.EndOffset;
        }
        foreach (var statement in ast.UsingStatements)
        {
            insertAt = Math.Max(insertAt, statement.Extent.EndOffset);
        }
        // On the same line, so the line numbers in error messages stay the user's.
        var prefix = insertAt == 0 ? Prefix : "; " + Prefix;
        return text[..insertAt] + prefix + text[insertAt..] + "\n" + Check(exitWithScriptCode: false);
    }

    /// <summary>`. 'script' args` between the mark and the check, or null to leave the -File run to pwsh.</summary>
    internal static string? WrapFile(string path, string[] scriptArgs)
    {
        if (path == "-" || !path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
        {
            return null;
        }
        var call = new StringBuilder("$global:LASTEXITCODE = 0; ").Append(Prefix).Append(". ").Append(Quote(Path.GetFullPath(path)));
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
        return call.Append('\n').Append(Check(exitWithScriptCode: true)).ToString();
    }

    /// <summary>
    /// Exit 1 when $Error gained an entry since the mark or the last statement failed. After a script, a failed
    /// last statement with a non-zero $LASTEXITCODE is the script's own `exit N` (or its last native command's code).
    /// </summary>
    private static string Check(bool exitWithScriptCode)
    {
        var check = new StringBuilder("$__GoNetToolsOk = $?; ");
        if (exitWithScriptCode)
        {
            check.Append("if (-not $__GoNetToolsOk -and $global:LASTEXITCODE) { exit $global:LASTEXITCODE }; ");
        }
        check.Append("if (-not $__GoNetToolsOk -or ($global:Error.Count -gt 0 -and -not [object]::ReferenceEquals($global:Error[0], ")
             .Append(Mark).Append("))) { exit 1 }");
        return check.ToString();
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
