using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace GoNetTools.Tests.Module;

/// <summary>The layers, lowest first. A type may use types of its own layer and of the layers below it.</summary>
public enum Layer
{
    /// <summary>Model (output types, namespace GoNetTools), Foundation (GoNetTools.Foundation: error ids, exceptions, files), Protocols.</summary>
    Foundation = 0,
    /// <summary>GoNetTools.Platform.*: one back-end per OS behind one interface per capability.</summary>
    Platform = 1,
    /// <summary>The areas' engines: Analysis, Capture, Tuning, GoProxy, GoModDownload, Report, Metrics.</summary>
    Area = 2,
    /// <summary>GoNetTools.Commands: the cmdlets, the only place PowerShell types may appear.</summary>
    Commands = 3,
}

/// <summary>One use of a type against the direction Commands → areas → Platform → Foundation/Model/Protocols.</summary>
public sealed record LayerViolation(string From, string To, string Why)
{
    public override string ToString() => $"{From} → {To}: {Why}";
}

/// <summary>
/// Reads compiled assemblies by reflection — type signatures (base types, interfaces, fields, properties, method
/// parameters and returns, attributes) and every type, method or field token in the method bodies' IL — and reports each
/// reference that points up the layers or reaches System.Management.Automation outside Commands.
/// </summary>
public sealed class LayerChecker
{
    private readonly Func<string, Layer?> _layerOf;
    private readonly Func<string, bool> _mayUsePowerShell;

    /// <param name="layerOf">The layer of a namespace, or null for a namespace that is not ours.</param>
    /// <param name="mayUsePowerShell">True for the namespaces where PowerShell types are allowed.</param>
    public LayerChecker(Func<string, Layer?> layerOf, Func<string, bool> mayUsePowerShell)
    {
        _layerOf = layerOf;
        _mayUsePowerShell = mayUsePowerShell;
    }

    /// <summary>GoNetTools' own namespaces.</summary>
    public static Layer? GoNetToolsLayer(string ns) => ns switch
    {
        "GoNetTools" => Layer.Foundation,
        _ when Under(ns, "GoNetTools.Protocols") || Under(ns, "GoNetTools.Foundation") && !Under(ns, "GoNetTools.Tuning") => Layer.Foundation,
        _ when Under(ns, "GoNetTools.Platform") => Layer.Platform,
        _ when Under(ns, "GoNetTools.Commands") => Layer.Commands,
        _ when Under(ns, "GoNetTools") => Layer.Area,
        _ => null,
    };

    public static bool Under(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    public List<LayerViolation> Check(Assembly assembly, Func<Type, bool>? include = null)
    {
        var found = new List<LayerViolation>();
        foreach (var type in assembly.GetTypes().Where(t => include?.Invoke(t) ?? true))
        {
            var owner = Outermost(type);
            var home = owner.Namespace;
            if (home is null || _layerOf(home) is not { } layer)
            {
                continue;
            }
            foreach (var (used, where) in Uses(type))
            {
                foreach (var part in Flatten(used))
                {
                    var ns = HomeNamespace(part);
                    if (ns is null)
                    {
                        continue;
                    }
                    if (Under(ns, "System.Management.Automation") && !_mayUsePowerShell(home))
                    {
                        found.Add(new(Name(owner), Name(part), $"PowerShell type outside Commands ({where})"));
                    }
                    else if (_layerOf(ns) is { } target && target > layer)
                    {
                        found.Add(new(Name(owner), Name(part), $"{layer} uses {target} ({where})"));
                    }
                }
            }
        }
        return found.Distinct().ToList();
    }

    private static string Name(Type t) => t.FullName ?? t.Name;

    /// <summary>The namespace a type lives in; a nested or compiler-generated type lives where its outermost declaring type does.</summary>
    private static string? HomeNamespace(Type t) => Outermost(t).Namespace;

    private static Type Outermost(Type t)
    {
        while (t.DeclaringType is not null)
        {
            t = t.DeclaringType;
        }
        return t;
    }

    private static IEnumerable<Type> Flatten(Type t)
    {
        if (t.HasElementType && t.GetElementType() is { } element)
        {
            foreach (var e in Flatten(element))
            {
                yield return e;
            }
            yield break;
        }
        if (t.IsGenericParameter)
        {
            yield break;
        }
        yield return t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        if (t.IsGenericType)
        {
            foreach (var a in t.GetGenericArguments().SelectMany(Flatten))
            {
                yield return a;
            }
        }
    }

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<(Type Used, string Where)> Uses(Type type)
    {
        if (type.BaseType is { } b)
        {
            yield return (b, "base type");
        }
        foreach (var i in type.GetInterfaces())
        {
            yield return (i, "interface");
        }
        foreach (var a in type.GetCustomAttributesData())
        {
            yield return (a.AttributeType, "attribute");
        }
        foreach (var f in type.GetFields(Declared))
        {
            yield return (f.FieldType, "field " + f.Name);
        }
        foreach (var p in type.GetProperties(Declared))
        {
            yield return (p.PropertyType, "property " + p.Name);
        }
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi)
            {
                yield return (mi.ReturnType, "return of " + m.Name);
            }
            foreach (var p in m.GetParameters())
            {
                yield return (p.ParameterType, "parameter of " + m.Name);
            }
            foreach (var used in BodyTypes(m))
            {
                yield return (used, "body of " + m.Name);
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every type a method body names through a type, method, field or ldtoken operand.</summary>
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            yield break;
        }
        if (il is null)
        {
            yield break;
        }
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break; // unknown opcode: stop rather than misread operands
            }
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    Type? used = null;
                    try
                    {
                        var member = method.Module.ResolveMember(token, typeArgs, methodArgs);
                        used = member as Type ?? member?.DeclaringType;
                    }
                    catch (Exception e) when (e is ArgumentException or TypeLoadException or System.IO.FileNotFoundException or BadImageFormatException)
                    {
                    }
                    if (used is not null)
                    {
                        yield return used;
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += OperandSize(op.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType t) => t switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
