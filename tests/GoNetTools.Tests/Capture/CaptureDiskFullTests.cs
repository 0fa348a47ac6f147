using System.IO;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Capture;

/// <summary>
/// Disk full mid-capture: the real host runs in a private mount namespace (unshare -m) with a 2 MiB tmpfs over a
/// temp dir, so the host's mounts never change. The session must go to Failed with the reason, count only what
/// reached the file, and leave a file tshark reads to the end.
/// </summary>
[Trait("Category", Category.Root)]
[Collection("capture")]
public sealed class CaptureDiskFullTests
{
    [SkippableFact]
    public void Disk_full_fails_the_session_and_leaves_a_readable_file()
    {
        var dir = CaptureTraffic.TempDir();
        var file = Path.Combine(dir, "full.pcap");
        var script =
            "$sink = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)); " +
            "$port = $sink.Client.LocalEndPoint.Port; " +
            $"$s = Start-PacketCapture lo ('udp port ' + $port) -Path '{file}'; " +
            "$tx = [System.Net.Sockets.UdpClient]::new(); $payload = [byte[]]::new(1000); " +
            "foreach ($i in 1..3000) { [void]$tx.Send($payload, $payload.Length, '127.0.0.1', $port); if ($i % 100 -eq 0) { [System.Threading.Thread]::Sleep(50) } }; " +
            "foreach ($i in 1..50) { $now = Get-PacketCapture -Id $s.Id; if ($now.State -ne 'Running') { break }; [System.Threading.Thread]::Sleep(100) }; " +
            "$now = Stop-PacketCapture -Id $s.Id; 'state:' + $now.State + '|packets:' + $now.Packets + '|error:' + $now.Error";
        var scripts = CaptureTraffic.TempDir();
        File.WriteAllText(Path.Combine(scripts, "capture.ps1"), script);
        File.WriteAllText(Path.Combine(scripts, "run.sh"),
            $"mount -t tmpfs -o size=2m tmpfs {dir} || exit 3\n" +
            $"GONETTOOLS_MODULE={Repo.ModuleManifest} dotnet {Repo.HostDll} -Command \". '{scripts}/capture.ps1'\"\n" +
            $"echo tshark:$(tshark -n -r {file} -T fields -e frame.number 2>/dev/null | wc -l):$(tshark -n -r {file} -T fields -e frame.number >/dev/null 2>&1; echo $?)\n");
        var (code, stdout, stderr) = Shell.TryRun("unshare", $"-m --propagation private sh {scripts}/run.sh", 120_000);
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"state:Failed\|packets:\d+\|error:.*(No space|space left)", stdout);
        var reported = long.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"packets:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var tshark = System.Text.RegularExpressions.Regex.Match(stdout, @"tshark:(\d+):(\d+)");
        Assert.True(tshark.Success, stdout);
        Assert.Equal("0", tshark.Groups[2].Value); // tshark read the whole file without "cut short"
        Assert.Equal(reported, long.Parse(tshark.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(reported > 100, stdout);
    }
}
