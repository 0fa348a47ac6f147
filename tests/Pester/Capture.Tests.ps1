#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance specs for Start/Get/Stop-PacketCapture, for pwsh 7.4+ with Pester 5. Run by ./build.ps1 -Test.
# The live specs capture on Linux loopback and need root (or CAP_NET_RAW/CAP_NET_ADMIN), libpcap and tshark.

BeforeDiscovery {
    # -Skip is decided at discovery. Skipped only off Linux, without root or without tshark; CI has all three.
    $script:CanCapture = $IsLinux -and ((id -u) -eq 0) -and [bool](Get-Command tshark -ErrorAction SilentlyContinue)
}

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module (Join-Path $PSScriptRoot '../../out/GoNetTools/GoNetTools.psd1') -Force

    function script:Get-TsharkCount([string] $File, [string] $DisplayFilter) {
        $arguments = @('-n', '-r', $File, '-T', 'fields', '-e', 'frame.number')
        if ($DisplayFilter) { $arguments += @('-Y', $DisplayFilter) }
        $lines = @(& tshark @arguments 2>$null)
        if ($LASTEXITCODE -ne 0) { throw "tshark could not read $File" }
        $lines.Count
    }

    function script:Send-Udp([int] $Port, [int] $Count, [int] $Size = 100) {
        $tx = [System.Net.Sockets.UdpClient]::new()
        try {
            $payload = [byte[]]::new($Size)
            foreach ($i in 1..$Count) { [void]$tx.Send($payload, $payload.Length, '127.0.0.1', $Port) }
        }
        finally { $tx.Dispose() }
    }
}

AfterAll {
    Stop-PacketCapture -All -ErrorAction SilentlyContinue | Out-Null
    Remove-Module GoNetTools -ErrorAction SilentlyContinue
}

Describe 'Start-PacketCapture errors' {
    It 'rejects -FileCount without -MaxFileSizeMB' {
        { Start-PacketCapture -Adapter lo -FileCount 3 -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCaptureOptions,GoNetTools.Commands.StartPacketCaptureCommand'
    }

    It 'reports a missing capture library as ResourceUnavailable naming the package' {
        $global:GoNetToolsPcapLibrary = 'libpcap-gonettools-missing.so.9'
        try {
            $err = { Start-PacketCapture -Adapter lo -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureLibraryMissing,GoNetTools.Commands.StartPacketCaptureCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.ErrorDetails.RecommendedAction | Should -Match 'libpcap|Npcap'
        }
        finally { $global:GoNetToolsPcapLibrary = $null }
    }

    It 'lists the real adapters for an unknown one' -Skip:(-not $IsLinux) {
        $err = { Start-PacketCapture -Adapter nosuch0 -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'AdapterNotFound,GoNetTools.Commands.StartPacketCaptureCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.ErrorDetails.Message | Should -Match '\blo\b'
    }

    It 'gives libpcap''s message for a bad filter' -Skip:(-not $script:CanCapture) {
        $err = { Start-PacketCapture -Adapter lo -Filter 'tcp port nosuchport' -Path (Join-Path $TestDrive 'bad.pcap') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCaptureFilter,GoNetTools.Commands.StartPacketCaptureCommand' -PassThru
        $err.ErrorDetails.Message | Should -Match "unknown port 'nosuchport'"
        Join-Path $TestDrive 'bad.pcap' | Should -Not -Exist
    }

    It 'keeps an existing file without -Force' -Skip:(-not $script:CanCapture) {
        $file = Join-Path $TestDrive 'exists.pcap'
        Set-Content -Path $file -Value 'keep me'
        { Start-PacketCapture -Adapter lo -Path $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureFileExists,GoNetTools.Commands.StartPacketCaptureCommand'
        Get-Content -Path $file | Should -Be 'keep me'
    }
}

Describe 'Capture on loopback' -Skip:(-not $script:CanCapture) {
    BeforeAll {
        $script:Sink = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $script:Port = $script:Sink.Client.LocalEndPoint.Port
    }
    AfterAll { $script:Sink.Dispose() }

    It 'writes what it counts, in a 0600 file tshark reads' {
        $file = Join-Path $TestDrive 'udp.pcap'
        $session = Start-PacketCapture -Adapter lo -Filter "udp port $script:Port" -Path $file
        $session.State | Should -Be 'Running'
        Send-Udp -Port $script:Port -Count 30
        $final = Stop-PacketCapture -Id $session.Id
        $final.State | Should -Be 'Stopped'
        $final.Packets | Should -Be 30
        $final.Dropped | Should -Be 0
        Get-TsharkCount -File $file | Should -Be $final.Packets
        (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]::UserRead -bor [System.IO.UnixFileMode]::UserWrite)
    }

    It 'stops at -PacketCount with -Wait' {
        $file = Join-Path $TestDrive 'count.pcap'
        # A process job (Start-ThreadJob is not part of the PowerShell SDK gonettools is built from).
        $job = Start-Job { param($port) foreach ($i in 1..200) { $tx = [System.Net.Sockets.UdpClient]::new(); [void]$tx.Send([byte[]]::new(10), 10, '127.0.0.1', $port); $tx.Dispose(); Start-Sleep -Milliseconds 10 } } -ArgumentList $script:Port
        try {
            $final = Start-PacketCapture -Adapter lo -Filter "udp port $script:Port" -Path $file -PacketCount 20 -Wait
            $final.Packets | Should -Be 20
            Get-TsharkCount -File $file | Should -Be 20
        }
        finally { $job | Remove-Job -Force }
    }

    It 'keeps exactly -FileCount ring files, each readable' {
        $base = Join-Path $TestDrive 'ring/ring.pcap'
        New-Item -ItemType Directory -Path (Split-Path $base) | Out-Null
        $session = Start-PacketCapture -Adapter lo -Filter "udp port $script:Port" -Path $base -MaxFileSizeMB 1 -FileCount 2
        foreach ($burst in 1..8) { Send-Udp -Port $script:Port -Count 500 -Size 1200; Start-Sleep -Milliseconds 20 }
        $final = $session | Stop-PacketCapture
        $final.Files | Should -HaveCount 2
        @(Get-ChildItem (Split-Path $base)) | Should -HaveCount 2
        foreach ($f in $final.Files) { Get-TsharkCount -File $f | Should -BeGreaterThan 0 }
    }

    It 'does not create a file with -WhatIf' {
        $file = Join-Path $TestDrive 'whatif.pcap'
        Start-PacketCapture -Adapter lo -Path $file -WhatIf | Should -BeNullOrEmpty
        $file | Should -Not -Exist
    }

    It 'reports an unknown id as ObjectNotFound' {
        { Get-PacketCapture -Id 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureSessionNotFound,GoNetTools.Commands.GetPacketCaptureCommand'
        { Stop-PacketCapture -Id 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureSessionNotFound,GoNetTools.Commands.StopPacketCaptureCommand'
    }
}
