using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using Microsoft.Management.Infrastructure;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// CIM instances as name → value dictionaries, the shape <see cref="CimRecordJson"/> gives recordings, so the pure
/// mappers (WindowsNicMapper, WindowsWorkstationMapper) take live and recorded instances alike: embedded instances
/// become dictionaries, arrays lists.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class CimQuery
{
    /// <summary>Every instance of <paramref name="className"/>; a failed query throws <paramref name="errorId"/> (ResourceUnavailable).</summary>
    public static List<IReadOnlyDictionary<string, object?>> Instances(CimSession session, string cimNamespace, string className, string errorId)
    {
        try
        {
            return session.EnumerateInstances(cimNamespace, className).Select(ToDictionary).ToList();
        }
        catch (CimException e)
        {
            throw new GoNetToolsException(errorId, FailureKind.ResourceUnavailable,
                $"CIM query of {cimNamespace}/{className} failed: {e.Message}", "Check that the Windows Management Instrumentation service is running.", e);
        }
    }

    /// <summary>Like <see cref="Instances"/>, but a class this machine lacks (MSAcpi_ThermalZoneTemperature on most PCs) gives null.</summary>
    public static List<IReadOnlyDictionary<string, object?>>? Optional(CimSession session, string cimNamespace, string className)
    {
        try
        {
            return session.EnumerateInstances(cimNamespace, className).Select(ToDictionary).ToList();
        }
        catch (CimException)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, object?> ToDictionary(CimInstance instance)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in instance.CimInstanceProperties)
        {
            result[property.Name] = Convert(property.Value);
        }
        return result;
    }

    private static object? Convert(object? value) => value switch
    {
        CimInstance embedded => ToDictionary(embedded),
        CimInstance[] many => many.Select(m => (object?)ToDictionary(m)).ToList(),
        string s => s,
        Array array => array.Cast<object?>().ToList(),
        _ => value,
    };
}
