using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using GoNetTools.Tests.Infrastructure;
using Xunit;

namespace GoNetTools.Tests.Capture;

/// <summary>Each bad input or missing prerequisite is an ErrorRecord with a stable id and an honest category.</summary>
[Trait("Category", Category.Root)]
[Collection("capture")]
public sealed class CaptureErrorTests
{
    private static ErrorRecord Terminating(PipelineResult result, string id, ErrorCategory category)
    {
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"{id},GoNetTools.Commands.StartPacketCaptureCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
        return error;
    }

    [SkippableFact]
    public void Invalid_bpf_is_InvalidArgument_with_libpcaps_message()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "f.pcap");
        using var rs = new ModuleRunspace();
        var error = Terminating(rs.Invoke($"Start-PacketCapture lo -Filter 'tcp port nosuchport' -Path {CaptureTraffic.Quote(file)}"),
            "InvalidCaptureFilter", ErrorCategory.InvalidArgument);
        Assert.Contains("unknown port 'nosuchport'", error.ErrorDetails.Message);
        Assert.False(File.Exists(file));
        // Positive control: a valid filter on the same adapter starts.
        var ok = rs.Invoke($"Start-PacketCapture lo -Filter 'tcp port 1' -Path {CaptureTraffic.Quote(file)} | Stop-PacketCapture");
        Assert.Empty(ok.AllErrors);
        Assert.True(File.Exists(file));
    }

    [SkippableFact]
    public void Unknown_adapter_is_ObjectNotFound_listing_real_ones()
    {
        using var rs = new ModuleRunspace();
        var error = Terminating(rs.Invoke("Start-PacketCapture -Adapter nosuch0 -WhatIf"), "AdapterNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("nosuch0", error.ErrorDetails.Message);
        Assert.Contains("lo", error.ErrorDetails.Message);
        Assert.Equal("nosuch0", error.TargetObject);
    }

    [SkippableFact]
    public void Existing_file_is_kept_without_Force_and_replaced_with_mode_0600_with_it()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "exists.pcap");
        File.WriteAllText(file, "keep me");
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        using var rs = new ModuleRunspace();
        var error = Terminating(rs.Invoke($"Start-PacketCapture lo -Path {CaptureTraffic.Quote(file)}"), "CaptureFileExists", ErrorCategory.ResourceExists);
        Assert.Equal(file, error.TargetObject);
        Assert.Equal("keep me", File.ReadAllText(file));

        var forced = rs.Invoke($"Start-PacketCapture lo 'udp port 9' -Path {CaptureTraffic.Quote(file)} -Force | Stop-PacketCapture");
        Assert.Empty(forced.AllErrors);
        Assert.Equal(0, CaptureTraffic.TsharkCount(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    public void WhatIf_creates_no_file_and_no_session()
    {
        var file = Path.Combine(CaptureTraffic.TempDir(), "whatif.pcap");
        using var rs = new ModuleRunspace();
        var before = rs.Invoke("@(Get-PacketCapture).Count").Output[0].BaseObject;
        var result = rs.Invoke($"Start-PacketCapture lo -Path {CaptureTraffic.Quote(file)} -WhatIf");
        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.False(File.Exists(file));
        Assert.Equal(before, rs.Invoke("@(Get-PacketCapture).Count").Output[0].BaseObject);
    }

    [SkippableFact]
    public void Missing_library_through_the_probe_hook_is_ResourceUnavailable_naming_the_package()
    {
        using var rs = new ModuleRunspace();
        rs.Invoke("$GoNetToolsPcapLibrary = 'libpcap-gonettools-missing.so.9'");
        var error = Terminating(rs.Invoke("Start-PacketCapture lo -WhatIf"), "CaptureLibraryMissing", ErrorCategory.ResourceUnavailable);
        Assert.Contains("libpcap-gonettools-missing.so.9", error.ErrorDetails.Message);
        Assert.Contains("apt-get install libpcap0.8", error.ErrorDetails.RecommendedAction);
        // Positive control: the same runspace without the hook gets past the probe (to -WhatIf).
        rs.Invoke("$GoNetToolsPcapLibrary = $null");
        Assert.Empty(rs.Invoke("Start-PacketCapture lo -WhatIf").AllErrors);
    }

    [SkippableFact]
    public void Missing_library_leaves_import_and_other_cmdlets_working_in_the_host()
    {
        const string Script = "Get-NicAdapter -Name lo | ForEach-Object { 'nic:' + $_.Name }; " +
            "try { Start-PacketCapture lo -ErrorAction Stop } catch { 'err:' + $_.FullyQualifiedErrorId + ':' + $_.CategoryInfo.Category }";
        var (_, stdout, stderr) = GoNetToolsHost.Run(Script, environment: new Dictionary<string, string> { ["GONETTOOLS_PCAP_LIBRARY"] = "libpcap-gonettools-missing.so.9" });
        Assert.True(stdout.Contains("nic:lo", System.StringComparison.Ordinal), stdout + stderr);
        Assert.Contains("err:CaptureLibraryMissing,GoNetTools.Commands.StartPacketCaptureCommand:ResourceUnavailable", stdout);
    }

    [SkippableFact]
    public void FileCount_without_MaxFileSizeMB_is_InvalidArgument()
    {
        using var rs = new ModuleRunspace();
        Terminating(rs.Invoke("Start-PacketCapture lo -FileCount 3 -WhatIf"), "InvalidCaptureOptions", ErrorCategory.InvalidArgument);
    }

    [SkippableFact]
    public void Stop_and_Get_of_an_unknown_id_are_ObjectNotFound()
    {
        using var rs = new ModuleRunspace();
        var stop = rs.Invoke("Stop-PacketCapture -Id 999999");
        var error = Assert.Single(stop.Errors);
        Assert.Equal("CaptureSessionNotFound,GoNetTools.Commands.StopPacketCaptureCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        var get = rs.Invoke("Get-PacketCapture -Id 999999");
        Assert.Equal("CaptureSessionNotFound,GoNetTools.Commands.GetPacketCaptureCommand", Assert.Single(get.Errors).FullyQualifiedErrorId);
    }
}
