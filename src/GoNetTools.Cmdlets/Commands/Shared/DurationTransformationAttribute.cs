using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace GoNetTools.Commands;

/// <summary>
/// What a user means by a duration, for every TimeSpan parameter: a bare number is seconds (5, 1.5, and `1s`,
/// which PowerShell 7 reads as the Int16 1 because `s` is its short-integer suffix); text takes Go's units
/// ("250ms", "1.5s", "2m", "1h30m", "500us", "10ns"), a number ("5"), or hh:mm:ss ("00:00:02"); a TimeSpan passes
/// through. Without this, PowerShell turns a number into ticks: `-Duration 5` would be 500 ns.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    // Go's time.ParseDuration grammar: one or more decimal numbers, each with a unit.
    private static readonly Regex GoDuration = new(@"^\s*([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex GoPart = new(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            null or TimeSpan => inputData,
            sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                Seconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value),
            string text => Parse(text),
            _ => inputData,
        };
    }

    /// <summary>Text as a duration; throws the transformation error PowerShell shows for the parameter.</summary>
    internal static TimeSpan Parse(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Seconds(seconds, text);
        }
        var go = GoDuration.Match(text);
        if (go.Success)
        {
            double total = 0;
            foreach (Match part in GoPart.Matches(text))
            {
                var number = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                total += part.Groups[2].Value.ToLowerInvariant() switch
                {
                    "ns" => number / 1e9,
                    "us" or "µs" or "μs" => number / 1e6,
                    "ms" => number / 1e3,
                    "s" => number,
                    "m" => number * 60,
                    _ => number * 3600,
                };
            }
            return Seconds(go.Groups[1].Value == "-" ? -total : total, text);
        }
        if (TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }
        throw Refuse(text);
    }

    private static TimeSpan Seconds(double seconds, object input)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
        {
            throw Refuse(input);
        }
        // TimeSpan's resolution is one tick (100 ns): shorter parts round to the nearest tick.
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));
    }

    private static ArgumentTransformationMetadataException Refuse(object input) =>
        new($"'{input}' is not a duration. Give seconds (5 or 1.5), a Go-style duration (250ms, 1.5s, 2m, 1h30m) or hh:mm:ss (00:00:02).");
}
