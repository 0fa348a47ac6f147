using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// Reads CIM instances recorded as JSON (`Get-CimInstance … | Select-Object * -ExcludeProperty Cim* | ConvertTo-Json
/// -Depth 4`) into the name → value dictionaries <see cref="WindowsNicMapper"/> takes: numbers become long or
/// double, arrays lists, embedded instances dictionaries. A single object or an array of them.
/// </summary>
internal static class CimRecordJson
{
    public static List<IReadOnlyDictionary<string, object?>> Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : new List<JsonElement> { root };
        return items.Where(i => i.ValueKind == JsonValueKind.Object).Select(i => (IReadOnlyDictionary<string, object?>)Instance(i)).ToList();
    }

    private static Dictionary<string, object?> Instance(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value));

    private static object? Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n : v.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => v.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.Object => Instance(v),
        _ => null,
    };
}
