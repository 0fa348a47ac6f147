using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace GoNetTools.Commands;

/// <summary>
/// Rebuilds a GoNetTools output object from its copy that came back from a job or a remote session (a
/// Deserialized.GoNetTools.* property bag, see GoNetTools.types.ps1xml for the depth kept), so the report and metric
/// adapters take one path, the typed one, for live and deserialized input. Only the types the exporters read are
/// rebuilt; inner objects follow the property types, never the type names the input claims. Properties the
/// serialization depth turned into text are left empty and named in the list the caller passes.
/// </summary>
internal static class DeserializedInput
{
    private const string Prefix = "Deserialized.";

    private static readonly Dictionary<string, Type> Roots = new[]
    {
        typeof(GoProxyStabilityResult), typeof(GoProxyConnection), typeof(GoProxyComparison), typeof(TcpStateSample), typeof(GoModDownloadMeasurement),
        typeof(CaptureSummary), typeof(TcpFlow), typeof(Http2Frame), typeof(TcpConnection), typeof(TcpStatistic),
    }.ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    /// <summary>The live object for a deserialized copy of a known type; false for anything else.</summary>
    public static bool TryRebuild(PSObject item, out object live, List<string> lost)
    {
        live = item;
        var name = item.TypeNames.FirstOrDefault();
        if (item.BaseObject is not PSCustomObject || name is null || !name.StartsWith(Prefix, StringComparison.Ordinal)
            || !Roots.TryGetValue(name[Prefix.Length..], out var type))
        {
            return false;
        }
        live = Build(item, type, type.Name, lost)!;
        return true;
    }

    private static object? Build(PSObject bag, Type type, string path, List<string> lost)
    {
        if (type.GetConstructor(Type.EmptyTypes) is not { } ctor)
        {
            return null;
        }
        var target = ctor.Invoke(null);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetSetMethod(nonPublic: true) is not { } setter || bag.Properties[property.Name] is not { } source || source.Value is null)
            {
                continue;
            }
            if (TryConvert(source.Value, property.PropertyType, $"{path}.{property.Name}", lost, out var value))
            {
                setter.Invoke(target, new[] { value });
            }
        }
        return target;
    }

    private static bool TryConvert(object value, Type type, string path, List<string> lost, out object? result)
    {
        result = null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var pso = value as PSObject;
        var raw = pso?.BaseObject ?? value;
        if (IsModel(target))
        {
            if (pso is null || raw is not PSCustomObject)
            {
                lost.Add(path); // the serialization depth turned it into its ToString
                return false;
            }
            result = Build(pso, target, path, lost);
            return result is not null;
        }
        if (target.IsArray && raw is IEnumerable items and not string)
        {
            var element = target.GetElementType()!;
            var list = new ArrayList();
            foreach (var item in items)
            {
                if (item is null || !TryConvert(item, element, path + "[]", lost, out var converted))
                {
                    return false;
                }
                list.Add(converted);
            }
            result = list.ToArray(element);
            return true;
        }
        if (typeof(IDictionary).IsAssignableFrom(target) && raw is IDictionary dictionary)
        {
            var copy = (IDictionary)(target.IsInterface ? new OrderedDictionary() : Activator.CreateInstance(target)!);
            foreach (DictionaryEntry entry in dictionary)
            {
                copy[entry.Key is PSObject k ? k.BaseObject : entry.Key] = entry.Value is PSObject v ? v.BaseObject : entry.Value;
            }
            result = copy;
            return true;
        }
        if (target.IsEnum && raw is string text)
        {
            return Enum.TryParse(target, text, ignoreCase: true, out result);
        }
        return LanguagePrimitives.TryConvertTo(raw, target, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>A class of this module's own (a finding, a port budget, a GOAWAY event…), rebuilt from its property bag.</summary>
    private static bool IsModel(Type type) => type.IsClass && !type.IsArray && type != typeof(string) && type.Namespace == nameof(GoNetTools) && type.Assembly == typeof(DeserializedInput).Assembly;
}
