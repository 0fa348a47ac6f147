using System;

namespace GoNetTools.Tests.Infrastructure.Peers;

/// <summary>What a GOPROXY request path asks for, as the servers' logs show it.</summary>
public static class GoProxyRequestKind
{
    public const string Info = "info", Mod = "mod", Zip = "zip", List = "list", Latest = "latest", Other = "other";

    /// <summary>"info", "mod", "zip" (…/@v/VERSION.ext), "list" (…/@v/list), "latest" (…/@latest) or "other".</summary>
    public static string Of(string uri)
    {
        var path = uri.Split('?', 2)[0];
        if (path.EndsWith("/@v/list", StringComparison.Ordinal))
        {
            return List;
        }
        if (path.EndsWith("/@latest", StringComparison.Ordinal))
        {
            return Latest;
        }
        var at = path.LastIndexOf("/@v/", StringComparison.Ordinal);
        if (at >= 0)
        {
            var file = path[(at + 4)..];
            var dot = file.LastIndexOf('.');
            if (dot > 0 && file[(dot + 1)..] is Info or Mod or Zip)
            {
                return file[(dot + 1)..];
            }
        }
        return Other;
    }
}
