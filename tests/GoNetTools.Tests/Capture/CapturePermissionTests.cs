using System.IO;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Capture;

/// <summary>
/// The real host run as an unprivileged user (nobody, via setpriv, no groups, no capabilities) against the staged
/// module, which is world-readable in the build tree; the same script as root is the positive control.
/// </summary>
[Trait("Category", Category.Root)]
[Collection("capture")]
public sealed class CapturePermissionTests
{
    private const string Script =
        "try { $s = Start-PacketCapture lo 'udp port 9' -Path '{0}' -ErrorAction Stop; $s = Stop-PacketCapture -Id $s.Id; 'ok:' + $s.State } " +
        "catch { 'err:' + $_.FullyQualifiedErrorId + '|' + $_.CategoryInfo.Category + '|' + $_.ErrorDetails.Message }";

    private static (int, string, string) RunHost(string script, bool asNobody)
    {
        var dotnetArgs = $"\"{Repo.HostDll}\" -Command \"{script}\"";
        const string Env = "HOME=/tmp DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=1";
        var command = $"{Env} GONETTOOLS_MODULE={Repo.ModuleManifest} dotnet {dotnetArgs}";
        return asNobody
            ? Shell.TryRun("setpriv", $"--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all env {command}", 120_000)
            : Shell.TryRun("env", command, 120_000);
    }

    [SkippableFact]
    public void Unprivileged_user_gets_PermissionDenied_naming_root_or_the_capabilities()
    {
        var dir = CaptureTraffic.TempDir();
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111); // nobody may create the file, so only privilege is missing
        var denied = Path.Combine(dir, "nobody.pcap");
        var (_, stdout, stderr) = RunHost(Script.Replace("{0}", denied), asNobody: true);
        Assert.True(stdout.Contains("err:CapturePermissionDenied,GoNetTools.Commands.StartPacketCaptureCommand|PermissionDenied|", System.StringComparison.Ordinal), stdout + stderr);
        Assert.Contains("CAP_NET_RAW", stdout);
        Assert.Contains("root", stdout);
        Assert.False(File.Exists(denied));

        var allowed = Path.Combine(dir, "root.pcap");
        var (_, rootOut, rootErr) = RunHost(Script.Replace("{0}", allowed), asNobody: false);
        Assert.True(rootOut.Contains("ok:Stopped", System.StringComparison.Ordinal), rootOut + rootErr);
        Assert.True(File.Exists(allowed));
    }
}
