using System;
using System.Collections;
using GoNetTools.GoProxy;

namespace GoNetTools;

/// <summary>Whether a lab GOPROXY process is serving.</summary>
public enum GoProxyLabState
{
    /// <summary>Listening and answering.</summary>
    Running,
    /// <summary>Stopped by Stop-GoProxyLab, module removal or the end of its runspace.</summary>
    Stopped,
    /// <summary>The lab process ended on its own.</summary>
    Exited,
}

/// <summary>
/// A lab GOPROXY started by Start-GoProxyLab: a local Kestrel server (HTTP/2 and HTTP/1.1, TLS with a CA of
/// its own, or cleartext) serving modules, with the faults it was asked to inject and what it has done.
/// </summary>
public sealed class GoProxyLab
{
    private readonly GoProxyLabProcess? _process;
    private GoProxyLabStatistics _last;

    internal GoProxyLab(int id, GoProxyLabProcess process, GoProxyLabFaults faults, Hashtable goEnvironment)
    {
        _process = process;
        Id = id;
        Url = process.Url;
        CertificatePath = process.CertificatePath;
        ProcessId = process.ProcessId;
        Protocols = process.Protocols;
        Modules = process.Modules;
        Faults = faults;
        GoEnvironment = goEnvironment;
        StartTime = DateTime.Now;
        _last = new GoProxyLabStatistics { Timestamp = StartTime };
    }

    /// <summary>Number of the lab in this session (Get-GoProxyLab -Id, Stop-GoProxyLab -Id).</summary>
    public int Id { get; }
    /// <summary>Base URL to use as GOPROXY, e.g. https://127.0.0.1:40123.</summary>
    public string Url { get; }
    /// <summary>The lab CA as a PEM file (for SSL_CERT_FILE); null for a cleartext lab.</summary>
    public string? CertificatePath { get; }
    /// <summary>Process id of the lab server.</summary>
    public int ProcessId { get; }
    /// <summary>Protocols offered: "h2,http/1.1" (ALPN over TLS, or h2c prior knowledge and HTTP/1.1 cleartext) or "http/1.1".</summary>
    public string Protocols { get; }
    /// <summary>Every downloadable module version it serves, as path@version.</summary>
    public string[] Modules { get; }
    /// <summary>The faults it injects.</summary>
    public GoProxyLabFaults Faults { get; }
    /// <summary>Environment for the go tool to use this lab and nothing else (GOPROXY, SSL_CERT_FILE, GOSUMDB, GOFLAGS, GOTOOLCHAIN).</summary>
    public Hashtable GoEnvironment { get; }
    /// <summary>When it was started.</summary>
    public DateTime StartTime { get; }
    /// <summary>Running, Stopped, or Exited.</summary>
    public GoProxyLabState State => _process is null || _stopped ? GoProxyLabState.Stopped : _process.HasExited ? GoProxyLabState.Exited : GoProxyLabState.Running;

    /// <summary>What the lab has done so far: asked of the lab while it runs, the final counts once stopped.</summary>
    public GoProxyLabStatistics Statistics => State == GoProxyLabState.Running ? Refresh() : _last;

    private bool _stopped;

    /// <summary>Asks the lab for its counters now; the last known counts when it cannot answer.</summary>
    public GoProxyLabStatistics Refresh()
    {
        if (_process is not null && !_stopped && _process.TryQueryStatistics(TimeSpan.FromSeconds(5), out var fresh))
        {
            _last = fresh;
        }
        return _last;
    }

    /// <summary>Zeroes the lab's counters, so a measurement can start from a clean count.</summary>
    public void ResetStatistics()
    {
        if (_process is not null && !_stopped)
        {
            _process.ResetStatistics(TimeSpan.FromSeconds(5));
        }
    }

    internal void MarkStopped(GoProxyLabStatistics? final)
    {
        if (final is not null)
        {
            _last = final;
        }
        _stopped = true;
    }

    internal GoProxyLabProcess? Process => _process;

    /// <inheritdoc />
    public override string ToString() => Url;
}
