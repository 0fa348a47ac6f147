using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using GoNetTools.Tests.Analysis;
using GoNetTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static GoNetTools.Tests.Analysis.AnalysisHarness;

namespace GoNetTools.Tests.Hostile;

/// <summary>
/// A FIFO (with and without a writer), a socket, a character device, a block device and a directory given to the
/// analysis cmdlets: each is refused with NotARegularFile before anything opens it (a FIFO used to block open()
/// beyond Ctrl+C), quickly, and the good capture after it in the same call is still read. Also through a wildcard
/// and through piped FileSystemInfo objects. Needs root for mknod.
/// </summary>
[Trait("Category", Category.Root)]
public sealed class NonRegularFileTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gnt-nonregular-").FullName;
    private readonly ITestOutputHelper _output;
    private readonly Socket _socket;
    private readonly string _good;

    public NonRegularFileTests(ITestOutputHelper output)
    {
        Requires.Root();
        _output = output;
        Shell.Run("mkfifo", $"{_dir}/a-fifo");
        Shell.Run("mknod", $"{_dir}/c-zero c 1 5");
        Shell.Run("mknod", $"{_dir}/d-loop b 7 200");
        Directory.CreateDirectory(Path.Combine(_dir, "e-folder.pcap"));
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "b-socket")));
        _socket.Listen();
        var flow = new SyntheticFlow(IPAddress.Parse("192.0.2.10"), 40000, IPAddress.Parse("192.0.2.1"), 443, T0).Handshake()
            .ClientSends(SyntheticPackets.ClientHelloRecord("after.golang.org", new[] { "h2" })).ClientFin().ServerFin().ClientAck();
        _good = Path.Combine(_dir, "z-good.pcap");
        File.WriteAllBytes(_good, Pcap(flow.Packets));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _socket.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableTheory]
    [InlineData("a-fifo", "a FIFO (named pipe)")]
    [InlineData("b-socket", "a socket")]
    [InlineData("c-zero", "a character device")]
    [InlineData("d-loop", "a block device")]
    [InlineData("e-folder.pcap", "a directory")]
    public void Each_kind_is_refused_quickly_and_the_next_path_is_read(string name, string kind)
    {
        var bad = Path.Combine(_dir, name);
        var clock = Stopwatch.StartNew();
        var result = _ps.Invoke("Get-TcpFlow -LiteralPath $bad, $good", new Dictionary<string, object?> { ["bad"] = bad, ["good"] = _good });
        clock.Stop();
        _output.WriteLine($"{name}: {clock.ElapsedMilliseconds} ms");
        var error = Assert.Single(result.Errors);
        Assert.Equal("NotARegularFile,GoNetTools.Commands.GetTcpFlowCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(bad, error.TargetObject);
        Assert.Contains($"is {kind}, not a regular file", error.ToString());
        Assert.Equal("after.golang.org", Assert.Single(result.Objects<TcpFlow>()).Sni); // the next path was read
        // A generous bound for a shared 2-core machine; the figure itself is printed above (it is milliseconds).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{name} took {clock.Elapsed}");
    }

    [SkippableFact]
    public void A_fifo_with_a_writer_is_refused_too_and_never_read()
    {
        var fifo = Path.Combine(_dir, "a-fifo");
        // Hold the write end open (O_RDWR on a FIFO never blocks on Linux), so an open for reading would succeed.
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        writer.Write(new byte[] { 0xd4, 0xc3, 0xb2, 0xa1 });
        var result = _ps.Invoke("Measure-PacketCapture -LiteralPath $f, $g", new Dictionary<string, object?> { ["f"] = fifo, ["g"] = _good });
        Assert.Equal("NotARegularFile,GoNetTools.Commands.MeasurePacketCaptureCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, Assert.Single(result.Objects<CaptureSummary>()).Connections);
    }

    [SkippableFact]
    public void Wildcards_and_piped_file_system_objects_skip_each_non_regular_entry_and_read_the_good_one()
    {
        var wildcard = _ps.Invoke("Get-TlsHandshake -Path \"$d/*\"", new Dictionary<string, object?> { ["d"] = _dir });
        Assert.Equal("after.golang.org", Assert.Single(wildcard.Objects<TlsHandshake>()).Sni);
        Assert.Equal(5, wildcard.Errors.Count);
        Assert.All(wildcard.Errors, e => Assert.StartsWith("NotARegularFile,", e.FullyQualifiedErrorId, StringComparison.Ordinal));

        var piped = _ps.Invoke("[System.IO.DirectoryInfo]::new($d).GetFileSystemInfos() | Get-TcpFlow",
            new Dictionary<string, object?> { ["d"] = _dir });
        Assert.Single(piped.Objects<TcpFlow>());
        Assert.Equal(5, piped.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("NotARegularFile,", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void An_unreadable_capture_is_PermissionDenied_and_a_missing_one_ObjectNotFound()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED); // 0755: nobody may look, not read the 0000 file
        var locked = Path.Combine(_dir, "locked.pcap");
        File.Copy(_good, locked);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var script = "Get-TcpFlow -LiteralPath $f";
        // Root reads any file, so the real host runs as nobody (setpriv) against a file mode 0000.
        var (_, stdout, stderr) = Shell.TryRun("setpriv",
            $"--reuid=65534 --regid=65534 --clear-groups env HOME=/tmp GONETTOOLS_MODULE={Repo.ModuleManifest} dotnet \"{Repo.HostDll}\" -Command " +
            $"\"try {{ Get-TcpFlow -LiteralPath '{locked}' -ErrorAction Stop }} catch {{ 'ERR ' + $_.FullyQualifiedErrorId + ' ' + $_.CategoryInfo.Category }}\"", 120_000);
        Assert.True(stdout.Contains("ERR ", StringComparison.Ordinal), stderr);
        Assert.Contains("ERR CaptureReadFailed,GoNetTools.Commands.GetTcpFlowCommand PermissionDenied", stdout);

        var missing = _ps.Invoke(script, new Dictionary<string, object?> { ["f"] = Path.Combine(_dir, "nope.pcap") });
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
    }
}
