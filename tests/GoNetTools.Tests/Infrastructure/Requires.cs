using System;
using System.IO;
using Xunit;

namespace GoNetTools.Tests.Infrastructure;

/// <summary>
/// The test tiers. A test that needs root, a network namespace or a tool carries
/// <c>[Trait("Category", X)]</c> with one of these names (so <c>--filter Category!=Root</c> leaves it out) and calls
/// the matching <see cref="Requires"/> check, which skips it with the reason where the requirement is missing.
/// </summary>
public static class Category
{
    public const string Root = "Root";
    public const string Netns = "Netns";
    public const string Tshark = "Tshark";
    public const string Go = "Go";
    public const string Chromium = "Chromium";
    public const string Prometheus = "Prometheus";
    public const string Nginx = "Nginx";
}

/// <summary>
/// Requirement checks. A contributor without root or a tool gets a skip that says what is missing and how to get it.
/// scripts/test.sh sets GONETTOOLS_REQUIRE_ALL=1 (CI runs it as root after scripts/setup.sh installed every tool):
/// there a missing requirement fails the test with the same hint, so CI never silently skips what it should run.
/// </summary>
public static class Requires
{
    public const string RequireAllVariable = "GONETTOOLS_REQUIRE_ALL";

    private static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) == "1";

    public static bool IsRoot => EffectiveUid == 0;

    public static uint EffectiveUid => geteuid();

    /// <summary>Root (capture, namespaces, tunables).</summary>
    public static void Root() =>
        Need(IsRoot, "needs root (capture, network namespaces, tunables): run the tests as root, or filter with --filter Category!=Root");

    /// <summary>A tool on PATH, e.g. tshark, go, nginx, chromium, prometheus.</summary>
    public static void Tool(string name, string installHint = "bash scripts/setup.sh") =>
        Need(OnPath(name) is not null, $"needs '{name}' on PATH: install it ({installHint})");

    /// <summary>"tshark", after checking it is on PATH.</summary>
    public static string TsharkPath
    {
        get
        {
            Tool("tshark", "apt-get install tshark");
            return "tshark";
        }
    }

    /// <summary>The first of several names found on PATH, or a skip naming them all.</summary>
    public static string AnyTool(params string[] names)
    {
        foreach (var name in names)
        {
            if (OnPath(name) is { } path)
            {
                return path;
            }
        }
        Need(false, $"needs one of {string.Join(", ", names)} on PATH: install it (bash scripts/setup.sh)");
        return names[0];
    }

    /// <summary>Skips (or, under GONETTOOLS_REQUIRE_ALL=1, fails) with <paramref name="hint"/> when the requirement is missing.</summary>
    public static void Need(bool present, string hint)
    {
        if (present)
        {
            return;
        }
        if (RequireAll)
        {
            throw new InvalidOperationException($"{RequireAllVariable}=1 and a requirement is missing: {hint}");
        }
        Skip.If(true, hint);
    }

    public static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
