#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance specs for the lab GOPROXY cmdlets (Start-/Get-/Stop-GoProxyLab), for pwsh 7.4+ with Pester 5.
# The go tool (golang-go) is needed for the 'go mod download' context; it is skipped without it.

BeforeAll {
    Set-StrictMode -Version Latest
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/GoNetTools/GoNetTools.psd1'
    Import-Module $script:ModulePath -Force

    function script:New-LabClient([object] $Lab, [version] $Version = '2.0') {
        $handler = [System.Net.Http.SocketsHttpHandler]::new()
        if ($Lab.CertificatePath) {
            $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw $Lab.CertificatePath))
            # A chain policy rather than a validation callback: scriptblocks cannot run on the TLS thread-pool threads.
            $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
            $policy.TrustMode = 'CustomRootTrust'
            $policy.RevocationMode = 'NoCheck'
            [void] $policy.CustomTrustStore.Add($ca)
            $handler.SslOptions.CertificateChainPolicy = $policy
        }
        $client = [System.Net.Http.HttpClient]::new($handler)
        $client.BaseAddress = [uri] $Lab.Url
        $client.DefaultRequestVersion = $Version
        $client.DefaultVersionPolicy = 'RequestVersionExact'
        $client
    }
}

AfterAll {
    Get-GoProxyLab | Stop-GoProxyLab
    Remove-Module GoNetTools -ErrorAction SilentlyContinue
}

Describe 'Start-GoProxyLab' {
    Context 'a healthy TLS lab' {
        BeforeAll {
            $script:lab = Start-GoProxyLab -SyntheticModules 3
            $script:client = New-LabClient $script:lab
        }
        AfterAll {
            $script:client.Dispose()
            $script:lab | Stop-GoProxyLab
        }

        It 'returns a typed lab with the go environment' {
            $lab.PSObject.TypeNames[0] | Should -Be 'GoNetTools.GoProxyLab'
            $lab.Url | Should -Match '^https://127\.0\.0\.1:\d+$'
            $lab.GoEnvironment.GOPROXY | Should -Be $lab.Url
            $lab.GoEnvironment.SSL_CERT_FILE | Should -Be $lab.CertificatePath
            $lab.GoEnvironment.GOSUMDB | Should -Be 'off'
            $lab.Modules | Should -Contain 'lab.gonettools.test/Mixed/Mod002@v1.0.0'
            $lab.Faults.IsHealthy | Should -BeTrue
        }

        It 'serves list, info, mod and zip over HTTP/2' {
            $list = $client.GetAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
            $list.Version | Should -Be ([version] '2.0')
            $list.Content.ReadAsStringAsync().GetAwaiter().GetResult() | Should -Be "v1.0.0`nv1.1.0`n"
            $info = $client.GetStringAsync('/lab.gonettools.test/mod000/@v/v1.1.0.info').GetAwaiter().GetResult() | ConvertFrom-Json
            $info.Version | Should -Be 'v1.1.0'
            $client.GetStringAsync('/lab.gonettools.test/!mixed/!mod002/@v/v1.0.0.mod').GetAwaiter().GetResult() |
                Should -Be "module lab.gonettools.test/Mixed/Mod002`n`ngo 1.18`n"
        }

        It 'answers 404 for an unknown module and 410 for an unknown version' {
            $client.GetAsync('/example.com/none/@v/list').GetAwaiter().GetResult().StatusCode | Should -Be 'NotFound'
            $client.GetAsync('/lab.gonettools.test/mod000/@v/v9.0.0.zip').GetAwaiter().GetResult().StatusCode | Should -Be 'Gone'
        }

        It 'answers a byte range of a zip with 206' {
            $request = [System.Net.Http.HttpRequestMessage]::new('GET', '/lab.gonettools.test/mod000/@v/v1.0.0.zip')
            $request.Headers.Range = [System.Net.Http.Headers.RangeHeaderValue]::new(0, 9)
            # A request built by hand is HTTP/1.1 unless told: DefaultRequestVersion only applies to GetAsync and friends.
            $request.Version = $client.DefaultRequestVersion
            $request.VersionPolicy = $client.DefaultVersionPolicy
            $response = $client.SendAsync($request).GetAwaiter().GetResult()
            $response.StatusCode | Should -Be 'PartialContent'
            $response.Content.Headers.ContentLength | Should -Be 10
        }

        It 'counts what it served' {
            $stats = (Get-GoProxyLab -Id $lab.Id).Statistics
            # list, info, mod; the 404 and the 410; the range request.
            $stats.Http2Requests | Should -Be 6
            $stats.Http1Requests | Should -Be 0
            $stats.ResponsesByStatus['404'] | Should -Be 1
        }
    }

    Context 'faults' {
        It 'resets exactly the requested share of streams' {
            $lab = Start-GoProxyLab -SyntheticModules 1 -ResetStreamPercent 50
            $client = New-LabClient $lab
            try {
                $failed = 0
                foreach ($i in 1..10) {
                    try { $null = $client.GetStringAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult() }
                    catch [System.Net.Http.HttpRequestException] { $failed++ }
                }
                $failed | Should -Be 5
                $lab.Statistics.RstStreamsSent | Should -Be $failed
                $lab.Statistics.RstStreamErrorCodes['INTERNAL_ERROR'] | Should -Be $failed
            }
            finally {
                $client.Dispose()
                $lab | Stop-GoProxyLab
            }
        }

        It 'answers every Nth request 429 with Retry-After' {
            $lab = Start-GoProxyLab -SyntheticModules 1 -TooManyRequestsEvery 2 -RetryAfter '3s'
            $client = New-LabClient $lab
            try {
                $first = $client.GetAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
                $second = $client.GetAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
                [int]$first.StatusCode | Should -Be 200
                [int]$second.StatusCode | Should -Be 429
                $second.Headers.RetryAfter.Delta | Should -Be ([timespan]::FromSeconds(3))
                $lab.Statistics.Throttled | Should -Be 1
                $null = $client.GetAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
                $lab.Statistics.RequestsDuringRetryAfter | Should -Be 1
                "$($lab.Faults)" | Should -Match 'TooManyRequestsEvery=2'
            }
            finally {
                $client.Dispose()
                $lab | Stop-GoProxyLab
            }
        }

        It 'reloads once after N requests: a graceful GOAWAY, and a new connection is served' {
            $lab = Start-GoProxyLab -SyntheticModules 1 -ReloadAfterRequests 1
            $client = New-LabClient $lab
            try {
                $null = $client.GetStringAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
                $null = $client.GetStringAsync('/lab.gonettools.test/mod000/@v/list').GetAwaiter().GetResult()
                $lab.Statistics.Reloads | Should -Be 1
                # Kestrel's two-step GOAWAY while the stream is open (2^31-1, then the last stream), one when none is.
                $lab.Statistics.GoAwaysSent | Should -BeIn @(1, 2)
                $lab.Statistics.Connections | Should -Be 2
            }
            finally {
                $client.Dispose()
                $lab | Stop-GoProxyLab
            }
        }

        It 'takes Go-style durations' {
            $lab = Start-GoProxyLab -SyntheticModules 1 -Latency 250ms -HandshakeDelay 1s
            try {
                $lab.Faults.Latency | Should -Be ([timespan]::FromMilliseconds(250))
                $lab.Faults.HandshakeDelay | Should -Be ([timespan]::FromSeconds(1))
            }
            finally { $lab | Stop-GoProxyLab }
        }
    }

    Context 'bad input' {
        It 'reports a missing module root' {
            { Start-GoProxyLab -ModuleRoot (Join-Path $TestDrive 'missing') -ErrorAction Stop } |
                Should -Throw -ErrorId 'GoProxyLabModuleRootNotFound,GoNetTools.Commands.StartGoProxyLabCommand'
        }

        It 'reports a module root without modules' {
            $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty')
            { Start-GoProxyLab -ModuleRoot $empty.FullName -ErrorAction Stop } |
                Should -Throw -ErrorId 'GoProxyLabModuleRootEmpty,GoNetTools.Commands.StartGoProxyLabCommand'
        }

        It 'reports a port in use' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            try {
                { Start-GoProxyLab -Port $listener.LocalEndpoint.Port -ErrorAction Stop } |
                    Should -Throw -ErrorId 'GoProxyLabPortInUse,GoNetTools.Commands.StartGoProxyLabCommand'
            }
            finally { $listener.Stop() }
        }

        It 'refuses an -Address that is not an IP address' {
            { Start-GoProxyLab -Address 'proxy.example' -ErrorAction Stop } |
                Should -Throw -ErrorId 'GoProxyLabInvalidAddress,GoNetTools.Commands.StartGoProxyLabCommand'
        }

        It 'refuses a percentage above 100' {
            { Start-GoProxyLab -ResetStreamPercent 101 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,GoNetTools.Commands.StartGoProxyLabCommand'
        }
    }

    Context 'the go tool' -Skip:(-not (Get-Command go -ErrorAction SilentlyContinue)) {
        It 'downloads every lab module with only the lab environment, and Test-GoProxyStability replays exactly what go sent' {
            $lab = Start-GoProxyLab -SyntheticModules 2
            $saved = @{}
            $names = @($lab.GoEnvironment.Keys) + @('GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOPRIVATE', 'GONOPROXY')
            foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
            try {
                foreach ($entry in $lab.GoEnvironment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
                $env:GOPATH = Join-Path $TestDrive 'gopath'
                $env:GOMODCACHE = Join-Path $TestDrive 'gopath/pkg/mod'
                $env:GOCACHE = Join-Path $TestDrive 'gocache'
                $env:GOPRIVATE = $null
                $env:GONOPROXY = $null
                go mod download -json @($lab.Modules) | Out-Null
                $LASTEXITCODE | Should -Be 0
                $lab.Statistics.Http2Requests | Should -BeGreaterThan 0
                $lab.Statistics.RequestsByKind['zip'] | Should -Be $lab.Modules.Count
                # cmd/go asks .info, .mod and .zip per path@version, never @v/list: one replay round sends the same.
                $go = $lab.Statistics
                $go.Requests | Should -Be (3 * $lab.Modules.Count)
                $go.RequestsByKind.ContainsKey('list') | Should -BeFalse
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 1
                $after = $lab.Statistics
                $r.Requests | Should -Be $go.Requests
                $after.Requests - $go.Requests | Should -Be $go.Requests
                foreach ($kind in 'info', 'mod', 'zip') {
                    $after.RequestsByKind[$kind] - $go.RequestsByKind[$kind] | Should -Be $go.RequestsByKind[$kind]
                }
                $after.RequestsByKind.ContainsKey('list') | Should -BeFalse
            }
            finally {
                foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
                $lab | Stop-GoProxyLab
            }
        }
    }
}

Describe 'Get-GoProxyLab and Stop-GoProxyLab' {
    It 'leaves the lab running under -WhatIf' {
        $lab = Start-GoProxyLab -SyntheticModules 1
        try {
            $lab | Stop-GoProxyLab -WhatIf
            (Get-GoProxyLab -Id $lab.Id).State | Should -Be 'Running'
            Get-Process -Id $lab.ProcessId | Should -Not -BeNullOrEmpty
        }
        finally { $lab | Stop-GoProxyLab }
    }

    It 'returns the final counts with -PassThru and forgets the lab' {
        $lab = Start-GoProxyLab -SyntheticModules 1
        $final = $lab | Stop-GoProxyLab -PassThru
        $final.State | Should -Be 'Stopped'
        $final.Statistics.Requests | Should -Be 0
        Get-GoProxyLab | Where-Object Id -EQ $lab.Id | Should -BeNullOrEmpty
        Start-Sleep -Milliseconds 500
        Get-Process -Id $lab.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports an unknown id' {
        { Get-GoProxyLab -Id 424242 -ErrorAction Stop } |
            Should -Throw -ErrorId 'GoProxyLabNotFound,GoNetTools.Commands.GetGoProxyLabCommand'
        { Stop-GoProxyLab -Id 424242 -ErrorAction Stop } |
            Should -Throw -ErrorId 'GoProxyLabNotFound,GoNetTools.Commands.StopGoProxyLabCommand'
    }
}
