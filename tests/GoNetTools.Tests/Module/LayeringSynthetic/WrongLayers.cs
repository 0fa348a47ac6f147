using System.Management.Automation;

// Deliberately wrong layering for LayeringTests' positive control; never used elsewhere.
namespace GoNetTools.Tests.Module.LayeringSynthetic.Platform
{
    /// <summary>A "platform back-end" that calls up into an area and takes a PowerShell type: two violations.</summary>
    public sealed class WrongPlatformBackEnd
    {
        public int Sample(PSObject input) => new GoProxy.AreaEngine().Run(input is null ? 0 : 1);
    }
}

namespace GoNetTools.Tests.Module.LayeringSynthetic.GoProxy
{
    /// <summary>An "area engine" that uses the platform: allowed.</summary>
    public sealed class AreaEngine
    {
        public int Run(int x) => x + 1;

        public static bool Uses(Platform.WrongPlatformBackEnd backEnd) => backEnd is not null;
    }
}
