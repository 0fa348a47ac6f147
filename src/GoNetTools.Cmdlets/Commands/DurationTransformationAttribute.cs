using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace GoNetTools.Commands;

/// <summary>
/// Lets a TimeSpan parameter take Go-style durations as text: "250ms", "9s", "1.5s", "2m", "1h". Anything else
/// (a TimeSpan, "00:00:09", a New-TimeSpan result) passes through to PowerShell's own conversion.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex GoDuration = new(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is string text && GoDuration.Match(text) is { Success: true } m)
        {
            var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
        }
        return inputData;
    }
}
